"""Conditional GETs of obligations and deadlines with a token, answered `304 Not Modified`
ahead of the rest of the middleware and of DRF.

A system that syncs polls each object it holds with `If-None-Match`, and most answers are
"not modified". Such a request needs none of what the rest of the stack does for the
browser (sessions, language, CSRF, messages, login lockouts) nor DRF's dispatch, which
together cost more than the answer itself. So the same checks run here, from the same
code: the host (ALLOWED_HOSTS), the token (ApiTokenAuthentication), the view's permission
and throttle classes, and the ETag from the function the view itself uses. That ETag is
read from its copy in Redis when there is one, in the token's round trip, so a 304 needs
no query (reports.etag_copies; writers withdraw a copy before they commit). Only a request
that passes them all and names the current ETag is answered here. Anything else (another
method or path, no token, a refusal, a changed or unknown object) goes on to the view,
which answers as it always has; the authentication keeps its outcome on the request, so
the rate is counted once either way.

It goes after SecurityMiddleware (HTTPS redirect, security headers) and WhiteNoise.
"""

import re
from functools import partial

from django.http import HttpResponseNotModified
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from mandate_tracker import copies
from mandate_tracker.api.authentication import ApiTokenAuthentication, presented
from mandate_tracker.api.conditional import not_modified
from reports import etag_copies
from reports.api.views import (
    DeadlineViewSet,
    ObligationViewSet,
    deadline_current_etag,
    obligation_current_etag,
)

# What a 200 of these endpoints varies on (LocaleMiddleware's Accept-Language): a 304
# carries the same Vary (RFC 9110, 15.4.5).
VARY = ("Accept-Language",)


class NotModifiedShortcut:
    def __init__(self, get_response):
        self.get_response = get_response
        self.routes = {
            # The list's path relative to the script prefix, as request.path_info is.
            "/" + reverse(f"api:{kind}-list").removeprefix(get_script_prefix()): (kind, view, etag)
            for kind, view, etag in (
                ("obligation", ObligationViewSet, obligation_current_etag),
                ("deadline", DeadlineViewSet, deadline_current_etag),
            )
        }

    def __call__(self, request):
        return self.not_modified(request) or self.get_response(request)

    def not_modified(self, request) -> HttpResponseNotModified | None:
        """The 304, or None when the request is not one this answers."""
        if request.method not in ("GET", "HEAD") or not request.META.get("HTTP_IF_NONE_MATCH"):
            return None
        if not presented(request):
            return None  # a browser's session (or an empty token): the full stack reads it
        head, slash, pk = request.path_info[:-1].rpartition("/")
        route = self.routes.get(head + slash) if request.path_info.endswith("/") else None
        if route is None:
            return None
        kind, view_class, current_etag = route
        if not re.fullmatch(view_class.lookup_value_regex, pk):  # as the router's URL
            return None
        request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it
        # The copy of the ETag comes in the token's round trip to Redis.
        copy = etag_copies.name(kind, int(pk))
        authentication = ApiTokenAuthentication(also_get=copies.read_keys(copy))
        api_request = Request(request, authenticators=[authentication])
        view = view_class(
            request=api_request, args=(), kwargs={"pk": pk}, action="retrieve", format_kwarg=None
        )
        try:
            if api_request.auth is None:
                return None
        except APIException:  # a refusal: the view meets it again and answers it
            return None
        if not all(p.has_permission(api_request, view) for p in view.get_permissions()):
            return None
        if not all(t.allow_request(api_request, view) for t in view.get_throttles()):
            return None
        today = timezone.localdate().isoformat()  # taken before the ETag is read
        etag = copies.current(
            copy, authentication.also_got, partial(current_etag, int(pk)), valid_for=today
        )
        if etag is None or not not_modified(request, etag):
            return None
        response = HttpResponseNotModified(headers={"ETag": etag})
        patch_vary_headers(response, VARY)
        return response
