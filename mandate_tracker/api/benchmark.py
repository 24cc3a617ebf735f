"""Benchmarks only (benchmarks/api.sh): the ceiling and two reference lists, mounted under
/api/v1/benchmark-*/ only when API_BENCHMARK_CEILING_FILE is set.

The issue that set the API's speed aims measured them against these: a trivial view
returning the bytes of a real response from memory (the ceiling); the list of 50
obligations as DRF does it by default (a ModelSerializer per row, page-number pagination
with its COUNT); and a hand-written `values()` list. Both lists authenticate, check the
role and count the rate limit as every endpoint does (the REST_FRAMEWORK defaults), so
they differ from the real endpoint only in how they read and render rows.

Two floors show the least the real endpoints' work can cost here, whatever the framework,
in the same middleware as the endpoints (a read by token skips the browser's part,
mandate_tracker.api.middleware; the ceiling, asked without a token, does not). They are
plain Django views (no DRF) that do only the round trips every request needs (the token
read and rate count in Redis, the role check) and the one statement of the endpoint,
with nothing else: a 304 after the version query, and a list that writes the rows of the
page statement as the driver returns them (no keys, URLs or ETags). A third floor is the
least a 304 from a copy costs there: the ETag read from Redis in the same round trip as
the token and the rate count, with no PostgreSQL at all. It keeps a copy of its own,
without the writers' holds of the API's copies (mandate_tracker.copies): only the
benchmark reads it, and nothing writes meanwhile.
"""

import time
from functools import cache
from pathlib import Path

import orjson
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotModified
from rest_framework import generics, serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from mandate_tracker.api import throttling
from mandate_tracker.api.authentication import ApiTokenAuthentication, from_cache
from mandate_tracker.api.conditional import not_modified
from mandate_tracker.api.pagination import KeysetPagination
from paragraphs import roles, tokens
from paragraphs.models import Obligation
from reports.api.views import obligation_current_etag
from reports.selectors import OBLIGATION_PAGE, obligation_rows


@cache
def _ceiling_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def ceiling(request):
    """The bytes of a real API response, from memory, through the same server and
    middleware."""
    return HttpResponse(
        _ceiling_bytes(settings.API_BENCHMARK_CEILING_FILE), content_type="application/json"
    )


class _ModelObligation(serializers.ModelSerializer):
    resolution = serializers.CharField(source="paragraph.resolution.symbol")
    paragraph = serializers.IntegerField(source="paragraph.number")
    owner = serializers.CharField(source="owner.code")
    contributors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    assigned_analyst = serializers.CharField(source="assigned_analyst.username", default=None)
    next_deadline = serializers.DateField(source="deadline_summary.next_deadline", default=None)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "key",
            "resolution",
            "paragraph",
            "summary",
            "owner",
            "contributors",
            "kind",
            "status",
            "note",
            "assigned_analyst",
            "next_deadline",
            "version",
            "updated_at",
        ]


class _Pages(PageNumberPagination):
    page_size_query_param = "page_size"


class NaiveList(generics.ListAPIView):
    """DRF's default way: a ModelSerializer per row, page numbers (and their COUNT)."""

    serializer_class = _ModelObligation
    pagination_class = _Pages
    queryset = (
        Obligation.objects.select_related(
            "paragraph__resolution", "owner", "assigned_analyst", "deadline_summary"
        )
        .prefetch_related("contributors")
        .order_by("id")
    )


class ValuesList(APIView):
    """A hand-written list: `values()` of the first rows (the API's own row selector), as
    they come, with the API's page size."""

    def get(self, request):
        size = KeysetPagination().get_page_size(request)
        return Response({"results": list(obligation_rows().order_by("id")[:size])})


def _reader(request):
    """The token's user, if the token is valid, may read and is within its rate limit:
    the checks every read pays, without DRF (a token is required here)."""
    try:
        user, _token = ApiTokenAuthentication().authenticate(request) or (None, None)
    except AuthenticationFailed:
        return None
    _key, hits = getattr(request, throttling.COUNTED, (None, 0))
    if user is None or not roles.can_view(user) or hits > settings.API_RATE_LIMITS["token"]:
        return None
    return user


def _conditional(request, etag: str | None) -> HttpResponse:
    if etag is None:
        return HttpResponse(status=404)
    if not_modified(request, etag):
        return HttpResponseNotModified(headers={"ETag": etag})
    return HttpResponse(headers={"ETag": etag})  # the benchmark sends the current ETag


def floor_304(request, pk: int):
    """The least a conditional GET of an obligation costs: the checks, the version query."""
    if _reader(request) is None:
        return HttpResponseForbidden()
    return _conditional(request, obligation_current_etag(pk))


def floor_304_from_redis(request, pk: int):
    """A 304 with no PostgreSQL: token, rate count and the ETag in one exchange."""
    credentials = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    prefix = tokens.prefix_of(credentials)
    if prefix is None:
        return HttpResponseForbidden()
    presented = tokens.digest(credentials)
    backend = caches["default"]
    rate = backend.make_and_validate_key(
        throttling.rate_key("token", throttling.token_ident(presented), time.time())
    )
    copy = f"mt:benchmark-etag:obligation:{pk}"
    cached, _created, hits, etag = backend.exchange(
        [
            ("GET", backend.make_and_validate_key(tokens.cache_key(prefix))),
            ("SET", rate, 0, "EX", throttling.EXPIRE, "NX"),
            ("INCR", rate),
            ("GET", copy),
        ]
    )
    if cached is None:  # not cached (or expired): read from the database, and cached again
        allowed = _reader(request) is not None
    else:
        cached = backend.decode(cached)
        allowed = (
            isinstance(cached, dict)  # not a revocation
            and tokens.same_digest(presented, cached["digest"])
            and roles.can_view(from_cache(cached)[0])
            and hits <= settings.API_RATE_LIMITS["token"]
        )
    if not allowed:
        return HttpResponseForbidden()
    if etag is not None:
        return _conditional(request, etag.decode())
    etag = obligation_current_etag(pk)
    if etag is not None:
        backend.exchange([("SET", copy, etag, "EX", 60)])
    return _conditional(request, etag)


def floor_list(request):
    """The least a list of 50 costs: the checks, the page statement, its rows as JSON."""
    if _reader(request) is None:
        return HttpResponseForbidden()
    with connection.cursor() as cursor:
        OBLIGATION_PAGE.execute(cursor, [0, KeysetPagination.default_page_size])
        rows = cursor.fetchall()
    return HttpResponse(orjson.dumps({"results": rows}), content_type="application/json")
