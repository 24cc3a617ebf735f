"""Endpoints of the reports app; mounted under /api/v1/ by api/urls.py."""

from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter()
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("schedules", views.ScheduleViewSet, basename="schedule")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
urlpatterns = router.urls
