"""Benchmarks only (benchmarks/api.sh): the ceiling and two reference lists, mounted under
/api/v1/benchmark-*/ only when API_BENCHMARK_CEILING_FILE is set.

The issue that set the API's speed aims measured them against these: a trivial view
returning the bytes of a real response from memory (the ceiling); the list of 50
obligations as DRF does it by default (a ModelSerializer per row, page-number pagination
with its COUNT); and a hand-written `values()` list. Both lists authenticate, check the
role and count the rate limit as every endpoint does (the REST_FRAMEWORK defaults), so
they differ from the real endpoint only in how they read and render rows.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from mandate_tracker.api.pagination import KeysetPagination
from paragraphs.models import Obligation
from reports.selectors import obligation_rows


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
