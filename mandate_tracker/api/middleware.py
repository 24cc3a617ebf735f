"""Reads of the API by token, through the part of the middleware stack they need.

A system that reads the API with a token gets nothing from the middleware that serves
the browser: a session and the user signed in to it (a Bearer header is answered by its
token alone, never by a session: mandate_tracker.api.authentication), CSRF (reads are
safe methods), messages, the request that django-simple-history records for writes, and
django-axes's login lockouts. For a list those cost about as much as a trivial view does
in all.

So a GET or HEAD under the API's prefix that presents a token goes on from here through
the rest of settings.MIDDLEWARE without BROWSER_ONLY (language, host and slash rules,
X-Frame-Options: the same classes, in the same order), and then to its view, called as
Django's handler calls it. Its answer is the same as through the whole stack, headers
included (tests/api/test_token_reads.py compares them). Everything else (a browser's
session, any write, any other path, and Swagger UI, a page for the browser) goes through
the whole stack.

It goes after SecurityMiddleware (HTTPS redirect, security headers) and WhiteNoise.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.urls import resolve
from django.utils.module_loading import import_string

from mandate_tracker.api.authentication import presented
from mandate_tracker.urls import API_PREFIX

NAME = "mandate_tracker.api.middleware.TokenReads"
BROWSER_ONLY = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "simple_history.middleware.HistoryRequestMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)
# The API's one page for the browser (Swagger UI, with a CSRF token for its session).
BROWSER_PAGES = frozenset({"api:docs"})
# What Django's handler would call besides a middleware's __call__; the lane calls none.
HOOKS = ("process_view", "process_exception", "process_template_response")


class TokenReads:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + API_PREFIX  # relative to the script prefix, as path_info is
        if any(database.get("ATOMIC_REQUESTS") for database in settings.DATABASES.values()):
            raise ImproperlyConfigured("TokenReads calls views outside ATOMIC_REQUESTS.")
        lane = convert_exception_to_response(self.view)
        following = settings.MIDDLEWARE[settings.MIDDLEWARE.index(NAME) + 1 :]
        for path in reversed([path for path in following if path not in BROWSER_ONLY]):
            try:
                middleware = import_string(path)(lane)
            except MiddlewareNotUsed:  # as Django's handler: left out
                continue
            if hooks := [hook for hook in HOOKS if hasattr(middleware, hook)]:
                raise ImproperlyConfigured(
                    f"{path} has {', '.join(hooks)}, which TokenReads does not call: "
                    "list it in BROWSER_ONLY, or call its hooks in TokenReads.view."
                )
            lane = convert_exception_to_response(middleware)
        self.lane = lane

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path_info.startswith(self.prefix)
            and presented(request) is not None
        ):
            match = resolve(request.path_info)  # the API's last pattern takes any path
            if match.view_name not in BROWSER_PAGES:
                request.resolver_match = match
                return self.lane(request)
        return self.get_response(request)

    @staticmethod
    def view(request):
        """The request's view, called and rendered as by Django's handler (which, with the
        middleware above, has no view hooks to run first)."""
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
