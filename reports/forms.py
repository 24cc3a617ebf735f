from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from paragraphs import roles
from paragraphs.dates import validate_tracked_date
from paragraphs.enums import ObligationStatus, VerbCategory
from paragraphs.models import Actor, Obligation
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


class DeliverForm(VersionedForm):
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=DATE_INPUT, validators=[validate_tracked_date]
    )
    document_symbol = forms.CharField(label=_("Document symbol"), required=False, max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=REASON_MAX_LENGTH)


class RescheduleForm(VersionedForm):
    scheduled_on = forms.DateField(
        label=_("New scheduled date"), widget=DATE_INPUT, validators=[validate_tracked_date]
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class WaiveForm(VersionedForm):
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
