"""Keyset ("cursor") pagination: every page is one indexed range query, never an OFFSET
and never a COUNT(*), so page 2,000 of a large table costs what page 1 costs.

A view names its orderings (`orderings = {"id": None, "updated_at": SortKey(…)}`, None
meaning the primary key alone) and its default; the id breaks ties, so a cursor is the
(sort value, id) of the last row of the page. Sort keys are never null (a nullable column
is coalesced to a sentinel), so that comparisons are total. Only forward links are given:
a sync walks forward and keeps the last `next`.
"""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

SORT = "sort_key"
MAX_PK = 2**63 - 1  # bigint
MAX_CURSOR_TEXT = 1000  # longer than any value a cursor is made of


@dataclass(frozen=True)
class SortKey:
    """What a named ordering sorts by, and how a cursor's text turns back into a value.

    `tiebreak`, for a sort value that many rows share: a column equal to the id, which an
    index on (sort value, that column) holds. A page then starts with a row comparison
    on both, which that index answers directly; with the sort value alone as the index's
    condition, it would read every row sharing the cursor's value first.
    """

    expression: object
    parse: Callable[[str], object]
    help: str = ""
    tiebreak: object = None


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def parse_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC)


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


class KeysetPagination(BasePagination):
    default_page_size = 50
    max_page_size = 200
    query_params = ("cursor", "page_size", "ordering")

    def paginate_queryset(self, queryset, request, view=None) -> list:
        """The rows of the requested page (one query); remembers the link to the next."""
        self.request = request
        page_size = self.get_page_size(request)
        ordering = request.query_params.get("ordering", view.default_ordering)
        name, descending = ordering.removeprefix("-"), ordering.startswith("-")
        if name not in view.orderings:
            raise ValidationError(
                {
                    "ordering": [
                        _("Order by one of: %(names)s (prefix - to reverse).")
                        % {"names": ", ".join(view.orderings)}
                    ]
                }
            )
        key = view.orderings[name]
        if key is not None:
            queryset = queryset.annotate(**{SORT: key.expression})
        fields = [SORT, "pk"] if key is not None else ["pk"]
        queryset = queryset.order_by(*(f"-{f}" if descending else f for f in fields))
        cursor = self._cursor(request, ordering, key)
        if cursor is not None:
            queryset = queryset.filter(self._after(cursor, key, descending))
        return self._page(list(queryset[: page_size + 1]), page_size, ordering, key)

    def _page(self, rows: list, page_size: int, ordering: str, key) -> list:
        """The page's rows (one more was read, to know whether a next page exists)."""
        self.next_cursor = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            value = _get(last, SORT) if key is not None else None
            pk = last["id"] if isinstance(last, dict) else last.pk
            self.next_cursor = self._encode(ordering, value, pk)
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "cursor", self.next_cursor)

    def get_page_size(self, request) -> int:
        text = request.query_params.get("page_size")
        if text is None:
            return self.default_page_size
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= self.max_page_size):
            raise ValidationError(
                {
                    "page_size": [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(text)

    @staticmethod
    def _cursor(request, ordering: str, key: SortKey | None):
        """(value, pk) from the cursor, which must have been made for this same ordering."""
        text = request.query_params.get("cursor")
        if text is None:
            return None
        invalid = ValidationError(
            {"cursor": [_("This cursor is invalid here; use the `next` link as it is.")]}
        )
        try:
            made_for, value, pk = json.loads(base64.urlsafe_b64decode(text.encode("ascii")))
            if made_for != ordering or type(pk) is not int or not 0 <= pk <= MAX_PK:
                raise invalid
            if key is not None:
                if value is None:  # a sort value is never null
                    raise invalid
                if isinstance(value, str):
                    # Text PostgreSQL cannot hold (NUL, a lone surrogate) is no cursor of ours.
                    if "\x00" in value or len(value) > MAX_CURSOR_TEXT:
                        raise invalid
                    value.encode()
                value = key.parse(value)
        except (ValueError, TypeError, OverflowError, UnicodeError, binascii.Error) as error:
            raise invalid from error
        return value, pk

    @staticmethod
    def _after(cursor, key: SortKey | None, descending: bool) -> Q:
        """Rows strictly after (value, pk); the first condition alone can use an index."""
        value, pk = cursor
        if key is None:
            return Q(pk__lt=pk) if descending else Q(pk__gt=pk)
        if key.tiebreak is not None:  # (sort value, tiebreak) > (value, pk)
            compare = LessThan if descending else GreaterThan
            return Q(compare(_row(F(SORT), key.tiebreak), _row(Value(value), Value(pk))))
        if descending:
            return Q(**{f"{SORT}__lte": value}) & (Q(**{f"{SORT}__lt": value}) | Q(pk__lt=pk))
        return Q(**{f"{SORT}__gte": value}) & (Q(**{f"{SORT}__gt": value}) | Q(pk__gt=pk))

    @staticmethod
    def _encode(ordering: str, value, pk: int) -> str:
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        raw = json.dumps([ordering, value, pk])
        return base64.urlsafe_b64encode(raw.encode()).decode("ascii")

    # OpenAPI

    def get_schema_operation_parameters(self, view):
        return [
            _param(
                "cursor",
                {"type": "string"},
                "Opaque: follow the `next` link of the previous page as it is.",
            ),
            _param(
                "page_size",
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.default_page_size,
                },
                "Rows per page.",
            ),
            _param(
                "ordering",
                {
                    "type": "string",
                    "enum": [v for name in view.orderings for v in (name, f"-{name}")],
                    "default": view.default_ordering,
                },
                "Sort order (`-` reverses it); ties are broken by id. "
                + " ".join(key.help for key in view.orderings.values() if key and key.help),
            ),
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }


def _row(*expressions) -> Func:
    """SQL's row value: `(a, b)`."""
    return Func(*expressions, template="(%(expressions)s)", output_field=models.Field())


def _param(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": schema,
    }
