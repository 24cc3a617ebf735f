"""Included by reports/urls.py, so the names live in the `reports` namespace."""

from django.urls import path

from reports.alerts import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("alerts/subscriptions/", views.subscriptions, name="subscriptions"),
    path(
        "alerts/subscriptions/<int:pk>/delete/",
        views.subscription_remove,
        name="subscription_delete",
    ),
    path("alerts/preferences/", views.preferences, name="alert_preferences"),
    path("alerts/webhooks/", views.webhook_add, name="webhook_add"),
    path("alerts/webhooks/<int:pk>/delete/", views.webhook_remove, name="webhook_delete"),
]
