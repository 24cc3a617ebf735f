from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from paragraphs.forms import LoginForm

API_PREFIX = "api/v1/"

# Accounts: sign in and out, and change one's password. There is no self-service password
# reset: an administrator sets a new one (`manage.py changepassword`, or the admin), so no
# page sends mail on an anonymous visitor's say-so.
accounts = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("i18n/", include("django.conf.urls.i18n")),
    path(API_PREFIX, include("api.urls")),
    path("import/", include("intake.urls")),
    path("", include("reports.urls")),
]
