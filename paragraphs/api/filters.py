from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.rest_framework import FilterSet

from api.filters import BooleanFilter, IntegerFilter, SearchFilter
from paragraphs.enums import ParagraphKind, VerbCategory
from paragraphs.models import Actor, ApiToken, Paragraph, Resolution
from paragraphs.querysets import paragraph_text_contains


class ResolutionFilter(FilterSet):
    year = IntegerFilter(min_value=1945, max_value=9999, help_text="The year of adoption.")
    mandate = filters.CharFilter(field_name="mandate__code", max_length=40, help_text="e.g. BINUH")
    search = SearchFilter(method="search_text")

    class Meta:
        model = Resolution
        fields = []

    def search_text(self, queryset, name, value):
        return queryset.filter(
            Q(symbol__icontains=value)
            | Q(title__icontains=value)
            | Q(mandate__code__icontains=value)
        )


class ParagraphFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=ParagraphKind.choices)
    verb_category = filters.ChoiceFilter(choices=VerbCategory.choices)
    search = SearchFilter(method="search_text")

    class Meta:
        model = Paragraph
        fields = []

    def search_text(self, queryset, name, value):
        return queryset.filter(paragraph_text_contains(value) | Q(summary_en__icontains=value))


class ActorFilter(FilterSet):
    search = SearchFilter(method="search_text")

    class Meta:
        model = Actor
        fields = []

    def search_text(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name_en__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(abbreviation__icontains=value)
        )


class ApiTokenFilter(FilterSet):
    user = filters.CharFilter(
        field_name="user__username", max_length=150, help_text="The username it acts as."
    )
    read_only = BooleanFilter(help_text="Read-only tokens (`false`: read-write ones).")
    revoked = BooleanFilter(
        field_name="revoked_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Revoked tokens (`false`: those still accepted).",
    )

    class Meta:
        model = ApiToken
        fields = []
