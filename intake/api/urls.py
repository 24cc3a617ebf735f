"""The intake's endpoint; mounted under /api/v1/ by api/urls.py."""

from django.urls import path

from intake.api import views

urlpatterns = [path("imports/", views.ImportView.as_view(), name="imports")]
