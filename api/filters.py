"""django-filter, strict: an unknown or empty query parameter is a 400, not silently
ignored (a misspelt filter would otherwise return everything)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError as FormValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1


class TypedInSchema:
    """A filter whose OpenAPI type is declared here, not guessed by drf-spectacular (which
    would call these strings or numbers). A declared type is all drf-spectacular reads, so
    the declaration carries the filter's help text as the parameter's description."""

    openapi_type: OpenApiTypes

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = build_basic_type(self.openapi_type)
        if self.extra.get("help_text"):
            schema["description"] = self.extra["help_text"]
        extend_schema_field(schema)(self)


class IntegerFilter(TypedInSchema, filters.NumberFilter):
    """A whole number in range (NumberFilter would accept 1.5, or 1e30 for a bigint)."""

    field_class = forms.IntegerField
    openapi_type = OpenApiTypes.INT

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BooleanFilter(TypedInSchema, filters.TypedChoiceFilter):
    """`true` or `false`, nothing else: django-filter's own ignores any other value."""

    openapi_type = OpenApiTypes.BOOL

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "true"), ("false", "false")]
        kwargs["coerce"] = lambda value: value == "true"
        super().__init__(*args, **kwargs)


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601, turned into UTC before it reaches the database: an offset PostgreSQL does
    not accept (+22:25), or a time that leaves the calendar in UTC, is a 400."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError) as error:
            raise FormValidationError(self.error_messages["invalid"], code="invalid") from error


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class ByKeyFilter(TypedInSchema, filters.CharFilter):
    """A foreign key given by a unique field of its row (`owner__code`): the row's id is
    looked up first, and the rows are filtered by that id.

    Through the join, PostgreSQL cannot tell a rare value from a common one, so for a rare
    one it walks the whole table in the page's order looking for a page that is not there
    (37 ms for an actor with 2 of 100,000 obligations). Given the id, it plans from that
    column's statistics and its index (0.1 ms). A value that names nothing matches
    nothing, without reading the rows."""

    openapi_type = OpenApiTypes.STR

    def filter(self, queryset, value):
        if value in ("", None):
            return queryset
        relation, _lookup, key = self.field_name.rpartition("__")
        related = queryset.model._meta.get_field(relation).related_model
        pk = related._default_manager.filter(**{key: value}).values_list("pk", flat=True).first()
        return queryset.none() if pk is None else queryset.filter(**{relation: pk})


class SearchFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("label", _("Case-insensitive text search."))
        super().__init__(*args, **kwargs)


class StrictFilterBackend(filters.DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        known |= set(getattr(view.paginator, "query_params", ()))
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = _("Unknown query parameter. Known: %(names)s.") % {
                "names": ", ".join(sorted(known))
            }
            raise ValidationError({name: [message] for name in unknown})
        # django-filter would take `?status=` for "no filter": more likely a client's bug.
        empty = sorted(name for name, values in request.query_params.lists() if "" in values)
        if empty:
            message = _("Give a value, or leave the parameter out.")
            raise ValidationError({name: [message] for name in empty})
        if not known.intersection(request.query_params) - set(view.paginator.query_params):
            # Nothing to filter by: skip building and validating the filter form, which
            # costs more than the whole query of an unfiltered page.
            return queryset
        return super().filter_queryset(request, queryset, view)
