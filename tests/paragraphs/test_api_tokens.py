import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from paragraphs import tokens
from paragraphs.models import ApiToken
from paragraphs.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_generated_tokens_have_the_format_and_a_digest_that_checks():
    text, prefix = tokens.generate()
    other, _prefix = tokens.generate()

    assert tokens.prefix_of(text) == prefix
    assert len(text) == len("mt_") + 12 + 1 + 43
    assert tokens.matches(text, tokens.digest(text))
    assert not tokens.matches(other, tokens.digest(text))


@pytest.mark.parametrize(
    "text", ["", "mt_", "Bearer", "mt_0123456789ab_short", "xx_0123456789ab_" + "a" * 43]
)
def test_text_not_shaped_like_a_token_has_no_prefix(text):
    assert tokens.prefix_of(text) is None


def test_create_keeps_only_the_digest(analyst):
    token, text = api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)

    token.refresh_from_db()
    assert text.startswith(f"mt_{token.prefix}_")
    assert token.digest == tokens.digest(text)
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(text in value or text[16:] in value for value in stored)
    assert (token.user, token.created_by, token.read_only) == (analyst, analyst, True)


def test_create_needs_a_name_and_an_active_user(manager, analyst):
    analyst.is_active = False
    analyst.save()

    with pytest.raises(ValidationError) as no_name:
        api_token_create(user=manager, name="  ", read_only=True, by=manager)
    with pytest.raises(ValidationError) as inactive:
        api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)

    assert no_name.value.message_dict == {"name": ["Name the system that will use the token."]}
    assert inactive.value.message_dict == {"user": ["This account is inactive."]}
    assert not ApiToken.objects.exists()


def test_a_token_acts_for_its_holder_only(manager):
    """A manager once made a token for another manager, whose name then covered the first
    one's writes in the history and whose private alerts it could read."""
    admin = get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    other_manager = UserFactory(username="mia-manager", role="manager")
    service = UserFactory(username="warehouse", role="viewer")

    refused = []
    for user in (other_manager, admin, service):
        with pytest.raises(ValidationError) as error:
            api_token_create(user=user, name="Not mine", read_only=False, by=manager)
        refused.append(error.value.message_dict["user"])
    api_token_create(user=manager, name="My own", read_only=False, by=manager)
    api_token_create(user=service, name="Warehouse sync", read_only=True, by=admin)
    api_token_create(user=other_manager, name="Set up for Mia", read_only=False, by=admin)

    assert (
        refused
        == [
            [
                "You can create tokens only for yourself. A token for another account is "
                "created by that account or by an administrator."
            ]
        ]
        * 3
    )
    assert list(ApiToken.objects.order_by("id").values_list("name", "user__username")) == [
        ("My own", "max-manager"),
        ("Warehouse sync", "warehouse"),
        ("Set up for Mia", "mia-manager"),
    ]


def test_revoke_records_who_and_when_and_is_final(
    manager, analyst, frozen_clock, django_capture_on_commit_callbacks
):
    token, _text = api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)

    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(token=token, by=manager)
    with pytest.raises(ValidationError) as again:
        api_token_revoke(token=token, by=manager)

    token.refresh_from_db()
    assert (token.revoked_at.isoformat(), token.revoked_by) == (
        "2023-09-01T14:00:00+00:00",
        manager,
    )
    assert again.value.error_list[0].code == "already_revoked"


def test_command_prints_the_token_alone_on_stdout(analyst):
    admin = get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_token",
        analyst.username,
        "--name",
        "Warehouse",
        "--by",
        admin.username,
        stdout=out,
        stderr=err,
    )

    token = ApiToken.objects.get()
    text = out.getvalue().strip()
    assert tokens.matches(text, token.digest)
    assert (token.user, token.created_by, token.read_only) == (analyst, admin, True)
    assert "read-only" in err.getvalue() and token.prefix in err.getvalue()
    assert text not in err.getvalue()


def test_command_makes_read_write_tokens_for_a_manager_by_default_acting_as_themself(manager):
    call_command(
        "create_api_token",
        manager.username,
        "--name",
        "Sync",
        "--read-write",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.read_only) == (manager, manager, False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "X"], "No user “nobody”."),
        (["ana-analyst", "--name", "X"], "“ana-analyst” is not a manager"),
        (["ana-analyst", "--name", "X", "--by", "vera-viewer"], "“vera-viewer” is not a manager"),
        (["ana-analyst", "--name", "X", "--by", "ghost"], "No active user “ghost”."),
        (["max-manager", "--name", " "], "Name the system"),
        (["ana-analyst", "--name", "X", "--by", "max-manager"], "only for yourself"),
    ],
)
def test_command_refuses(manager, analyst, viewer, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())

    assert not ApiToken.objects.exists()


def test_revoke_command(manager, analyst):
    token, _text = api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)
    out = io.StringIO()

    call_command("revoke_api_token", token.prefix, "--by", manager.username, stdout=out)
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_api_token", token.prefix, "--by", manager.username)
    with pytest.raises(CommandError, match="No token"):
        call_command("revoke_api_token", "000000000000", "--by", manager.username)

    token.refresh_from_db()
    assert token.revoked_by == manager
    assert out.getvalue() == f"Revoked “Warehouse” ({token.prefix}).\n"


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    client.force_login(admin)
    client.admin = admin
    return client


def test_admin_lists_tokens_without_their_secret_and_revokes_them(admin_client, manager, analyst):
    token, text = api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)
    revoked, _ = api_token_create(user=analyst, name="Old", read_only=True, by=analyst)
    api_token_revoke(token=revoked, by=manager)

    page = admin_client.get("/admin/paragraphs/apitoken/").content.decode()
    response = admin_client.post(
        "/admin/paragraphs/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk, revoked.pk]},
        follow=True,
    )

    assert token.prefix in page and text not in page and token.digest not in page
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == admin_client.admin


def test_admin_cannot_add_or_delete_tokens(admin_client, manager, analyst):
    token, _text = api_token_create(user=analyst, name="Warehouse", read_only=True, by=analyst)

    assert admin_client.get("/admin/paragraphs/apitoken/add/").status_code == 403
    assert admin_client.get(f"/admin/paragraphs/apitoken/{token.pk}/delete/").status_code == 403
