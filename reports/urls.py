from django.urls import include, path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("", include("reports.alerts.urls")),
]
