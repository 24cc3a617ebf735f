from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.rest_framework import FilterSet

from api.filters import BooleanFilter, ByKeyFilter, DateTimeFilter, IntegerFilter, SearchFilter
from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.models import Obligation
from reports.enums import DeadlineState, ScheduleKind
from reports.models import Deadline, Schedule
from reports.querysets import (
    in_period_q,
    next_deadline_overdue_q,
    overdue_q,
    period_ended_q,
    to_reconcile_q,
    with_timing_dates,
)


class ObligationFilter(FilterSet):
    """Filters over `reports.selectors.obligation_rows` (its next_deadline included)."""

    resolution = IntegerFilter(field_name="paragraph__resolution_id", help_text="A resolution id.")
    paragraph = IntegerFilter(
        field_name="paragraph__number", max_value=9999, help_text="An operative paragraph number."
    )
    owner = ByKeyFilter(field_name="owner__code", max_length=40, help_text="An actor code.")
    assigned_analyst = ByKeyFilter(
        field_name="assigned_analyst__username", max_length=150, help_text="A username."
    )
    status = filters.MultipleChoiceFilter(
        choices=ObligationStatus.choices, help_text="Repeat for several."
    )
    kind = filters.ChoiceFilter(choices=ObligationKind.choices)
    due_before = filters.DateFilter(
        field_name="next_deadline", lookup_expr="lte", help_text="Next deadline on or before."
    )
    due_after = filters.DateFilter(
        field_name="next_deadline", lookup_expr="gte", help_text="Next deadline on or after."
    )
    overdue = BooleanFilter(
        method="filter_overdue",
        help_text="An open deadline is overdue (tolerance included) in a period not ended.",
    )
    to_reconcile = BooleanFilter(
        method="filter_to_reconcile",
        help_text="Its mandate period ended with deadlines still open.",
    )
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after (ISO 8601 with offset), for incremental sync.",
    )
    search = SearchFilter(method="search_text", help_text="In summary, note and key.")

    class Meta:
        model = Obligation
        fields = []

    def search_text(self, queryset, name, value):
        return queryset.filter(
            Q(summary__icontains=value) | Q(note__icontains=value) | Q(key__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = next_deadline_overdue_q(today) & in_period_q(
            today, "paragraph__resolution__mandate_expires_on"
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_to_reconcile(self, queryset, name, value):
        ended = Q(open_deadlines__gt=0) & period_ended_q(
            timezone.localdate(), "paragraph__resolution__mandate_expires_on"
        )
        return queryset.filter(ended) if value else queryset.exclude(ended)


class DeadlineFilter(FilterSet):
    obligation = IntegerFilter(field_name="schedule__obligation_id", help_text="An obligation id.")
    schedule = IntegerFilter(field_name="schedule_id", help_text="A schedule id.")
    resolution = IntegerFilter(
        field_name="schedule__obligation__paragraph__resolution_id", help_text="A resolution id."
    )
    status = filters.MultipleChoiceFilter(
        field_name="state", choices=DeadlineState.choices, help_text="Repeat for several."
    )
    due_before = filters.DateFilter(
        field_name="scheduled_on", lookup_expr="lte", help_text="Scheduled on or before."
    )
    due_after = filters.DateFilter(
        field_name="scheduled_on", lookup_expr="gte", help_text="Scheduled on or after."
    )
    overdue = BooleanFilter(
        method="filter_overdue",
        help_text="Open and past its date (weekend rule and tolerance) in a period not ended.",
    )
    to_reconcile = BooleanFilter(
        method="filter_to_reconcile", help_text="Open when its mandate period ended."
    )
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after (ISO 8601 with offset), for incremental sync.",
    )

    class Meta:
        model = Deadline
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q(timezone.localdate())
        queryset = with_timing_dates(queryset)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_to_reconcile(self, queryset, name, value):
        ended = to_reconcile_q(timezone.localdate())
        return queryset.filter(ended) if value else queryset.exclude(ended)


class ScheduleFilter(FilterSet):
    obligation = IntegerFilter(field_name="obligation_id", help_text="An obligation id.")
    kind = filters.ChoiceFilter(choices=ScheduleKind.choices)

    class Meta:
        model = Schedule
        fields = []
