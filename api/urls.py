"""/api/v1/: the endpoints of the apps, the OpenAPI schema and Swagger UI, and a JSON 404
for everything else under the prefix."""

from django.contrib.auth.decorators import login_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import schema  # noqa: F401  (registers the token auth scheme)
from api.errors import not_found
from api.permissions import CanView
from intake.api.urls import urlpatterns as intake_api
from paragraphs import roles
from paragraphs.api.urls import urlpatterns as paragraphs_api
from paragraphs.middleware import inline_styles_allowed
from reports.alerts.api.urls import urlpatterns as alerts_api
from reports.api.urls import urlpatterns as reports_api

app_name = "api"


def viewer_only(view):
    def wrapped(request, *args, **kwargs):
        roles.require_viewer(request.user)
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    *paragraphs_api,
    *reports_api,
    *alerts_api,
    *intake_api,
    # The description of the API is for those who may use it: a token or a signed-in
    # role for the schema (JSON errors otherwise), and the sign-in page before Swagger UI.
    path(
        "schema/",
        SpectacularJSONAPIView.as_view(permission_classes=[CanView]),
        name="schema",
    ),
    # The split view serves Swagger UI's start-up script as a file (`?script`), so the
    # page works under the Content-Security-Policy, which allows no inline script; its
    # drawing code sets inline styles, allowed on this page only.
    path(
        "docs/",
        inline_styles_allowed(
            login_required(viewer_only(SpectacularSwaggerSplitView.as_view(url_name="api:schema")))
        ),
        name="docs",
    ),
    re_path(r"", not_found),
]
