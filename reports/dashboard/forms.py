"""Dashboard filters, read from the query string so a view can be bookmarked and shared.

Resolutions are named by number and owners by code (`?resolution=2692&owner=unodc`), so a
shared URL says what it shows.
"""

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paragraphs.dates import validate_tracked_date
from paragraphs.enums import ObligationStatus
from paragraphs.models import Actor, Obligation, Resolution
from reports.dashboard.snapshot import Filters, Periods
from reports.dashboard.widgets import QuickSelect

MONTH_FORMAT = "%Y-%m"


def _resolutions_with_obligations():
    return Resolution.objects.filter(
        Exists(Obligation.objects.filter(paragraph__resolution=OuterRef("pk")))
    ).order_by("-adopted_on", "-number")


def _owners():
    return Actor.objects.filter(Exists(Obligation.objects.filter(owner=OuterRef("pk")))).order_by(
        "name_en"
    )


def _status_field():
    return forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ObligationStatus.choices],
        required=False,
    )


class ResolutionChoiceField(forms.ModelChoiceField):
    widget = QuickSelect  # one option per resolution: hundreds in a large portfolio

    def label_from_instance(self, obj):
        return f"{obj.symbol} {obj.mandate}".strip()


class OwnerChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, obj):
        return obj.name_en


class FeedFilterForm(forms.Form):
    """What the iCalendar feed can be narrowed to."""

    resolution = ResolutionChoiceField(
        label=_("Resolution"),
        queryset=Resolution.objects.none(),
        to_field_name="number",
        required=False,
        empty_label=_("All resolutions"),
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=Actor.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All owners"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are built per form, so the choices follow the data loaded since start-up.
        self.fields["resolution"].queryset = _resolutions_with_obligations()
        self.fields["owner"].queryset = _owners()

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(resolution=data.get("resolution"), owner=data.get("owner"))


class CalendarFilterForm(FeedFilterForm):
    status = _status_field()
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT),
        error_messages={"invalid": _("Enter a month as YYYY-MM, e.g. 2023-10.")},
        validators=[validate_tracked_date],
    )

    def clean_month(self) -> dt.date:
        month = self.cleaned_data.get("month") or timezone.localdate()
        return month.replace(day=1)

    def filters(self) -> Filters:
        return Filters(
            resolution=self.cleaned_data.get("resolution"),
            owner=self.cleaned_data.get("owner"),
            status=self.cleaned_data.get("status", ""),
        )


class DashboardFilterForm(FeedFilterForm):
    status = _status_field()
    due_from = forms.DateField(
        label=_("Due from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_tracked_date],
    )
    due_to = forms.DateField(
        label=_("Due until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_tracked_date],
    )
    periods = forms.ChoiceField(
        label=_("Mandate periods"),
        required=False,
        choices=[
            (Periods.CURRENT, _("Current periods")),
            (Periods.ENDED, _("Ended periods (to reconcile)")),
            (Periods.ALL, _("All periods")),
        ],
        help_text=_(
            "Deadlines of a period that has ended are no longer overdue: they are to reconcile."
        ),
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_tracked_date],
        help_text=_("Show the dashboard as it stood at the end of this day."),
    )

    def clean_as_of(self):
        as_of = self.cleaned_data.get("as_of")
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(_("“As of” cannot be in the future."))
        return as_of

    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:
            self.add_error("due_to", _("The end of the date range is before its start."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            resolution=data.get("resolution"),
            owner=data.get("owner"),
            status=data.get("status", ""),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            as_of=data.get("as_of"),
            periods=data.get("periods") or Periods.CURRENT,
        )
