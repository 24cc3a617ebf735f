"""Endpoints of the alerts; mounted under /api/v1/ by api/urls.py."""

from rest_framework.routers import SimpleRouter

from reports.alerts.api import views

router = SimpleRouter()
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("subscriptions", views.SubscriptionViewSet, basename="subscription")
urlpatterns = router.urls
