from django_filters import rest_framework as filters
from django_filters.rest_framework import FilterSet

from api.filters import BooleanFilter, DateTimeFilter, IntegerFilter
from reports.alerts.enums import AlertKind
from reports.alerts.models import Alert


class AlertFilter(FilterSet):
    """Filters over `reports.alerts.selectors.alerts_for_user` (its annotation included)."""

    kind = filters.ChoiceFilter(choices=AlertKind.choices)
    unread = BooleanFilter(
        field_name="inbox_read_at",
        lookup_expr="isnull",
        help_text="Not (`false`: already) marked read in your inbox.",
    )
    obligation = IntegerFilter(
        field_name="deadline__schedule__obligation_id", help_text="An obligation id."
    )
    resolution = IntegerFilter(
        field_name="deadline__schedule__obligation__paragraph__resolution_id",
        help_text="A resolution id.",
    )
    since = DateTimeFilter(
        field_name="moment", lookup_expr="gte", help_text="Fell due at or after (ISO 8601)."
    )
    before = DateTimeFilter(
        field_name="moment", lookup_expr="lt", help_text="Fell due strictly before (ISO 8601)."
    )

    class Meta:
        model = Alert
        fields = []
