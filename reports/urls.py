from django.urls import path, re_path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("obligations/<int:pk>/progress/", views.obligation_progress, name="obligation-progress"),
    path("obligations/<int:pk>/assign/", views.obligation_assign, name="obligation-assign"),
    path("obligations/<int:pk>/evidence/", views.evidence_create, name="evidence-create"),
    path("evidence/<int:pk>/remove/", views.evidence_delete, name="evidence-remove"),
    re_path(
        r"^deadlines/(?P<pk>\d+)/(?P<action>deliver|reschedule|waive)/$",
        views.deadline_action,
        name="deadline-action",
    ),
]
