from django.urls import include, path, re_path

from reports import views
from reports.dashboard import feeds
from reports.dashboard import views as dashboard

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution"),
    path("resolutions/record/", views.resolution_record, name="resolution-record"),
    path("mandates/", views.mandate_list, name="mandates"),
    path("mandates/<str:code>/", views.mandate_detail, name="mandate"),
    path(
        "obligations/<int:pk>/carry-forward/",
        views.obligation_carry_forward,
        name="obligation-carry-forward",
    ),
    path("obligations/<int:pk>/close/", views.obligation_close, name="obligation-close"),
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
    # Manager dashboards (issue 4)
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/calendar/", dashboard.calendar, name="calendar"),
    path("dashboard/feed/", dashboard.feed_manage, name="feed_manage"),
    re_path(
        r"^dashboard/export/(?P<kind>obligations|deadlines)\.(?P<fmt>csv|xlsx)$",
        dashboard.export,
        name="export",
    ),
    re_path(rf"^feeds/(?P<token>{feeds.TOKEN_PATTERN})\.ics$", dashboard.feed, name="feed"),
    path("", include("reports.alerts.urls")),
]
