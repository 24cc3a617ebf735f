"""/api/v1/: the endpoints of the apps, the OpenAPI schema and Swagger UI, and a JSON 404
for everything else under the prefix."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from api import schema  # noqa: F401  (registers the token auth scheme)
from api.errors import not_found
from paragraphs.api.urls import urlpatterns as paragraphs_api
from reports.alerts.api.urls import urlpatterns as alerts_api
from reports.api.urls import urlpatterns as reports_api

app_name = "api"
urlpatterns = [
    *paragraphs_api,
    *reports_api,
    *alerts_api,
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", not_found),
]
