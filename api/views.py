from functools import cache

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import get_script_prefix, reverse
from rest_framework import viewsets
from rest_framework.response import Response

from api.conditional import content_etag, not_modified
from api.filters import StrictFilterBackend
from api.pagination import KeysetPagination
from api.renderers import FastJSONRenderer


class ApiViewSet(viewsets.GenericViewSet):
    # The base of every endpoint: strict filters and keyset pages. Authentication,
    # permissions, rate limits and errors are set in REST_FRAMEWORK (settings.py).

    pagination_class = KeysetPagination
    filter_backends = [StrictFilterBackend]
    lookup_value_regex = r"[0-9]{1,18}"
    orderings = {"id": None}
    default_ordering = "id"

    def get_object(self):
        """The object the URL names; list filters and pages do not apply to it."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return obj

    def page(self, queryset) -> list:
        """Filter, then fetch one page (as the queryset yields its rows)."""
        return self.paginator.paginate_queryset(self.filter_queryset(queryset), self.request, self)

    def list(self, request, **kwargs):
        rows = self.page(self.get_queryset())
        return self.paginator.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, **kwargs):
        return with_content_etag(request, self.get_serializer(self.get_object()).data)


def with_content_etag(request, data) -> HttpResponse:
    """An object's JSON with a strong ETag from its bytes, or 304 if the client has it."""
    content = FastJSONRenderer().render(data)
    etag = content_etag(content)
    if not_modified(request, etag):
        return Response(status=304, headers={"ETag": etag})
    return HttpResponse(content, content_type="application/json", headers={"ETag": etag})


def absolute_url(request, name: str) -> str:
    """The absolute URL of the named route (one without arguments, such as a list):
    reversed once per script prefix, not on every request."""
    return request.build_absolute_uri(_reversed(name, get_script_prefix()))


@cache
def _reversed(name: str, prefix: str) -> str:  # the prefix is what reverse() depends on
    return reverse(name)
