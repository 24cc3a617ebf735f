from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_home, name="home"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/accept/", views.draft_accept, name="draft-accept"),
    path("drafts/<int:pk>/discard/", views.draft_discard, name="draft-discard"),
    path("proposals/<int:pk>/", views.proposal_update, name="proposal"),
]
