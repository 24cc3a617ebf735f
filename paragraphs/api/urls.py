"""Endpoints of the paragraphs app; mounted under /api/v1/ by api/urls.py."""

from rest_framework.routers import SimpleRouter

from paragraphs.api import views

router = SimpleRouter()
router.register("resolutions", views.ResolutionViewSet, basename="resolution")
router.register(
    r"resolutions/(?P<resolution_id>[0-9]{1,18})/paragraphs",
    views.ParagraphViewSet,
    basename="paragraph",
)
router.register("actors", views.ActorViewSet, basename="actor")
router.register("tokens", views.ApiTokenViewSet, basename="token")
urlpatterns = router.urls
