import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_with_the_right_password_lands_on_the_resolutions(client, analyst):
    response = _login(client, analyst.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_failed_logins_are_throttled_after_five(client, analyst):
    refused = [_login(client, analyst.username, "wrong").status_code for _ in range(5)]

    locked = _login(client, analyst.username, PASSWORD)

    assert refused == [200, 200, 200, 200, 429]  # the fifth failure locks

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_user_name(client, analyst, viewer):
    for _ in range(5):
        _login(client, analyst.username, "wrong")

    assert _login(client, viewer.username, PASSWORD).status_code == 302


def test_a_user_name_longer_than_any_account_is_a_form_error_not_a_500(client, analyst):
    response = _login(client, "x" * 5000, "whatever")

    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert errors == ["Ensure this value has at most 150 characters (it has 5000)."]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_there_is_no_self_service_password_reset(client, path):
    """No page sends mail on an anonymous visitor's say-so: administrators set passwords."""
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "ana@example.org"}).status_code == 404


def test_the_login_page_says_who_resets_a_password(client, db):
    page = client.get("/accounts/login/").content.decode()

    assert "Forgotten your password? Ask an administrator to set a new one." in page


def test_logout_is_a_post(client, analyst):
    client.force_login(analyst)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_password_change(client, analyst):
    client.force_login(analyst)

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer passphrase 2023",
            "new_password2": "a much longer passphrase 2023",
        },
    )

    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a much longer passphrase 2023")


def test_grant_role_gives_exactly_one_role(analyst):
    call_command("grant_role", analyst.username, "manager", stdout=io.StringIO())

    assert list(analyst.groups.values_list("name", flat=True)) == ["manager"]


def test_grant_role_can_create_a_user_without_a_password():
    out = io.StringIO()

    call_command("grant_role", "new-viewer", "viewer", "--create", stdout=out)

    user = get_user_model().objects.get(username="new-viewer")
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["viewer"]
    assert "changepassword new-viewer" in out.getvalue()


def test_grant_role_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("grant_role", "ghost", "viewer", stdout=io.StringIO())


def test_admin_action_grants_a_role(analyst):
    admin = get_user_model().objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    target = UserFactory(username="someone", role="viewer")

    client.post("/admin/auth/user/", {"action": "grant_analyst", "_selected_action": [target.pk]})

    assert list(target.groups.values_list("name", flat=True)) == ["analyst"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "退出"), ("fr", "Se déconnecter"), ("en", "Log out")],
)
def test_language_switcher_changes_the_interface(client, viewer, res2692, language, expected):
    client.force_login(viewer)

    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/resolutions/{res2692.pk}/").content.decode()

    assert f'<html lang="{language}">' in page
    assert expected in page
