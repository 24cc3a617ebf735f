from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from paragraphs import roles
from paragraphs.dates import validate_tracked_date
from paragraphs.enums import ObligationStatus, VerbCategory
from paragraphs.models import Actor, Mandate, Obligation, Paragraph, Resolution
from paragraphs.validators import NOTE_MAX_LENGTH, REASON_MAX_LENGTH

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class VersionedForm(forms.Form):
    """Carries the version the user read, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ObligationProgressForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"))
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label=_("What changed (kept in the history)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
    )

    def __init__(self, *args, obligation: Obligation, **kwargs):
        super().__init__(*args, **kwargs)
        current = ObligationStatus(obligation.status)
        self.fields["status"].choices = [
            (s.value, s.label) for s in (current, *current.allowed_next())
        ]


class ObligationAssignForm(VersionedForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Actor.objects.all())
    assigned_analyst = forms.ModelChoiceField(
        label=_("Assigned analyst"),
        queryset=roles.assignable_analysts().order_by("username"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Why (kept in the history)"), required=False, max_length=REASON_MAX_LENGTH
    )


class EvidenceForm(forms.Form):
    document_symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=40)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    dated = forms.DateField(
        label=_("Date"), required=False, widget=DATE_INPUT, validators=[validate_tracked_date]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=REASON_MAX_LENGTH)


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why remove it"), max_length=REASON_MAX_LENGTH)


class DeadlineForm(VersionedForm):
    """A form acting on one deadline; `companions` are the open deadlines that may go
    with it (`services.deadlines_on_the_same_cycle`)."""

    def __init__(self, *args, companions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.companions = companions


class DeliverForm(DeadlineForm):
    """What is known of a delivery: either date, or (neither confirmed) a day by which it
    existed and how it is known. The service refuses a delivery that says nothing."""

    circulated_on = forms.DateField(
        label=_("Circulated on"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_tracked_date],
        help_text=_("The day it reached the Council, if known."),
    )
    dated_on = forms.DateField(
        label=_("Document dated"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_tracked_date],
        help_text=_("The date the document bears, if known."),
    )
    delivered_by = forms.DateField(
        label=_("Delivered by (date not confirmed)"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_tracked_date],
        help_text=_("If neither date is confirmed: a day by which it existed."),
    )
    evidence = forms.CharField(
        label=_("Evidence of delivery"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("e.g. the Council meeting that discussed it."),
    )
    document_symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=REASON_MAX_LENGTH)
    also = forms.TypedMultipleChoiceField(
        label=_("Delivered with it"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deadlines on the same cycle (an annex of this report) delivered together."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["also"].choices = [
            (d.pk, f"{d.schedule.obligation.paragraph}: {d.schedule}, {d.due_on.isoformat()}")
            for d in self.companions
        ]
        if not self.fields["also"].choices:
            del self.fields["also"]


class RescheduleForm(DeadlineForm):
    scheduled_on = forms.DateField(
        label=_("New scheduled date"), widget=DATE_INPUT, validators=[validate_tracked_date]
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class WaiveForm(DeadlineForm):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


DEADLINE_FORMS = {"deliver": DeliverForm, "reschedule": RescheduleForm, "waive": WaiveForm}
DEADLINE_ACTION_LABELS = {
    "deliver": _("Mark delivered"),
    "reschedule": _("Reschedule"),
    "waive": _("Waive"),
}


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Actor.objects.all(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ObligationStatus.choices]
    )
    verb = forms.ChoiceField(
        label=_("Lead verb"), required=False, choices=[("", _("Any")), *VerbCategory.choices]
    )


class ResolutionRecordForm(forms.Form):
    """A resolution known by its facts only (its text can be imported later)."""

    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99999)
    year = forms.IntegerField(label=_("Year"), min_value=1946, max_value=2100)
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=DATE_INPUT, validators=[validate_tracked_date]
    )
    meeting_number = forms.IntegerField(
        label=_("Meeting"), required=False, min_value=1, max_value=999999
    )
    title = forms.CharField(label=_("Subject"), required=False, max_length=200)
    mandate = forms.ModelChoiceField(
        label=_("Mandate"),
        queryset=Mandate.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Left empty, a renewal takes the mandate of the resolution it renews."),
    )
    new_mandate = forms.CharField(
        label=_("Or a new mandate (code)"),
        required=False,
        max_length=40,
        help_text=_("e.g. BINUH, for a mandate not tracked yet."),
    )
    mandate_expires_on = forms.DateField(
        label=_("Mandate expires on"),
        required=False,
        widget=DATE_INPUT,
        validators=[validate_tracked_date],
    )
    renews = forms.ModelChoiceField(
        label=_("Renews"),
        queryset=Resolution.objects.order_by("-number"),
        required=False,
        to_field_name="number",
        help_text=_("Its period ends at its expiry (or at this adoption, if it had none)."),
    )

    def clean(self):
        data = super().clean()
        year, adopted_on = data.get("year"), data.get("adopted_on")
        if year and adopted_on and adopted_on.year != year:
            self.add_error("year", _("The year is the year of adoption."))
        if data.get("mandate") and data.get("new_mandate"):
            self.add_error("new_mandate", _("Choose a mandate or name a new one, not both."))
        if (expires := data.get("mandate_expires_on")) and adopted_on and expires < adopted_on:
            self.add_error(
                "mandate_expires_on", _("The mandate cannot expire before the adoption.")
            )
        return data


class ObligationCloseForm(forms.Form):
    reason = forms.CharField(label=_("Why it ends here"), max_length=REASON_MAX_LENGTH)


class ObligationCarryForwardForm(forms.Form):
    paragraph = forms.ModelChoiceField(
        label=_("Operative paragraph of the renewal"), queryset=Paragraph.objects.none()
    )

    def __init__(self, *args, paragraphs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].queryset = paragraphs or Paragraph.objects.none()
        self.fields["paragraph"].label_from_instance = lambda p: (
            f"{p.resolution.symbol} op. {p.number}: {p.summary_en}"[:120]
        )
