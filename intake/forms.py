from django import forms
from django.utils.translation import gettext_lazy as _

from intake.models import Decision
from intake.reading.sources import MAX_BYTES
from paragraphs.enums import ObligationKind, TextLanguage
from paragraphs.models import Actor
from reports.enums import ScheduleKind

ACCEPTED_FILES = ".txt,.docx,.pdf,text/plain"


class ImportForm(forms.Form):
    """A file or a pasted text, not both; the language is recognised unless given."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Text (any usual encoding), Word (.docx) or PDF, at most %(kb)s KB.")
        % {"kb": MAX_BYTES // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Recognise it")), *TextLanguage.choices],
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "")
        if upload and text.strip():
            raise forms.ValidationError(_("Upload a file or paste a text, not both."))
        if not upload and not text.strip():
            raise forms.ValidationError(_("Upload a file or paste the resolution's text."))
        if upload and upload.size > MAX_BYTES:
            self.add_error(
                "file",
                _(
                    "The file is %(size)s KB; a resolution is at most a few hundred kilobytes "
                    "(the limit is %(limit)s KB)."
                )
                % {"size": upload.size // 1024, "limit": MAX_BYTES // 1024},
            )
        return data


class ProposalForm(forms.Form):
    """One proposal as the reviewer leaves it; the button pressed says the decision."""

    decision = forms.ChoiceField(choices=Decision.choices)
    owner_code = forms.ChoiceField(label=_("Owner"))
    new_owner = forms.CharField(
        label=_("or a new actor"),
        required=False,
        max_length=150,
        help_text=_("Created when the draft is accepted."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ObligationKind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    schedule_kind = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("No deadline")), *ScheduleKind.choices],
    )
    on = forms.DateField(
        label=_("On"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    within_days = forms.IntegerField(
        label=_("Within days"), required=False, min_value=1, max_value=3650
    )
    every_days = forms.IntegerField(
        label=_("Every N days"), required=False, min_value=1, max_value=3650
    )
    every_months = forms.IntegerField(
        label=_("Every N months"), required=False, min_value=1, max_value=120
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, proposal, actors, **kwargs):
        schedule = proposal.schedule or {}
        kwargs.setdefault(
            "initial",
            {
                "decision": proposal.decision,
                "owner_code": proposal.owner_code,
                "kind": proposal.kind,
                "summary": proposal.summary,
                "schedule_kind": schedule.get("kind", ""),
                **{
                    k: schedule.get(k)
                    for k in ("on", "within_days", "every_days", "every_months", "until")
                },
            },
        )
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        choices = [(a.code, str(a)) for a in actors]
        if proposal.owner_code and proposal.owner_code not in {c for c, _label in choices}:
            choices.insert(
                0, (proposal.owner_code, _("%(name)s (new)") % {"name": proposal.owner_name})
            )
        self.fields["owner_code"].choices = choices

    def service_values(self) -> dict:
        data = self.cleaned_data
        new_owner = data.get("new_owner", "").strip()
        kind = data.get("schedule_kind")
        schedule = None
        if kind:
            schedule = {"kind": kind}
            for name in ("on", "within_days", "every_days", "every_months", "until"):
                if data.get(name) not in (None, ""):
                    value = data[name]
                    schedule[name] = value.isoformat() if hasattr(value, "isoformat") else value
            previous = self.proposal.schedule or {}
            if kind == previous.get("kind") and previous.get("aligned_to"):
                schedule["aligned_to"] = previous["aligned_to"]
        return {
            "decision": data["decision"],
            "owner_code": new_owner or data["owner_code"],
            "owner_name": new_owner or self.proposal.owner_name,
            "kind": data["kind"],
            "summary": data["summary"],
            "schedule": schedule,
        }


def actors_for_forms():
    return list(Actor.objects.order_by("name_en"))


class AcceptForm(forms.Form):
    change = forms.MultipleChoiceField(
        label=_("Changes to apply"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accept_pending = forms.BooleanField(
        label=_("Also accept the proposals still to review"), required=False
    )

    def __init__(self, *args, change_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [(i, i) for i in change_ids]
