"""Tokens: managed by signed-in managers through the API; how requests authenticate."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from paragraphs.models import ApiToken
from tests.factories import ObligationFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKENS = "/api/v1/tokens/"


@pytest.fixture
def manager_client(api, manager):
    api.client.force_login(manager)
    return api


def test_a_manager_creates_a_token_that_is_shown_once_and_works(
    manager_client, analyst, res2692, frozen_clock
):
    created = manager_client.post(TOKENS, {"name": "Warehouse"})

    assert created.status_code == 201, created.content
    body = created.json()
    token = ApiToken.objects.get()
    assert body["token"].startswith(f"mt_{token.prefix}_")
    assert created["Location"] == f"http://testserver{TOKENS}{token.pk}/"
    assert {k: body[k] for k in ("name", "user", "read_only", "created_by", "revoked_at")} == {
        "name": "Warehouse",
        "user": "max-manager",
        "read_only": True,
        "created_by": "max-manager",
        "revoked_at": None,
    }
    assert body["created_at"] == "2023-09-01T14:00:00Z"
    assert (
        Client()
        .get("/api/v1/actors/", headers={"Authorization": f"Bearer {body['token']}"})
        .status_code
        == 200
    )
    listed = manager_client.get(TOKENS).json()["results"]
    read = manager_client.get(f"{TOKENS}{token.pk}/").json()
    assert "token" not in listed[0] and "token" not in read
    assert read["last_used_at"] == "2023-09-01T14:00:00Z"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"name": "X", "user": "nobody"},
            {"user": ["Object with username=nobody does not exist."]},
        ),
        (
            {"name": "X", "read_only": "yes"},
            {"read_only": ["Must be a valid boolean."]},
        ),
        ({"user": "max-manager"}, {"name": ["This field is required."]}),
        ({"name": " "}, {"name": ["This field may not be blank."]}),
        ({"name": "X", "secret": "mine"}, {"secret": ["Unknown field."]}),
    ],
)
def test_token_creation_refuses_bad_input(manager_client, analyst, body, fields):
    response = manager_client.post(TOKENS, body)

    assert response.status_code == 400
    assert response.json()["fields"] == fields
    assert not ApiToken.objects.exists()


def test_a_manager_creates_read_write_tokens_on_request(manager_client, analyst):
    created = manager_client.post(TOKENS, {"name": "Sync", "read_only": False})

    assert created.status_code == 201
    assert created.json()["read_only"] is False
    assert ApiToken.objects.get().read_only is False


@pytest.mark.parametrize("username", ["root-admin", "mia-manager", "ana-analyst"])
def test_a_manager_cannot_mint_a_token_acting_as_someone_else(manager_client, analyst, username):
    get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    UserFactory(username="mia-manager", role="manager")

    response = manager_client.post(TOKENS, {"name": "As someone else", "user": username})

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "user": [
            "You can create tokens only for yourself. A token for another account is "
            "created by that account or by an administrator."
        ]
    }
    assert not ApiToken.objects.exists()


def test_an_administrator_creates_a_token_for_a_service_account(api):
    admin = get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    UserFactory(username="warehouse", role="viewer")
    api.client.force_login(admin)

    created = api.post(TOKENS, {"name": "Warehouse sync", "user": "warehouse"})

    assert created.status_code == 201, created.content
    assert (created.json()["user"], created.json()["created_by"]) == ("warehouse", "root-admin")


def test_the_history_records_the_token_a_change_came_through(api, make_token, analyst):
    obligation = ObligationFactory()
    token = make_token(analyst, read_only=False, name="DPPA warehouse")
    url = f"/api/v1/obligations/{obligation.pk}/"
    etag = api.get(url, token=token)["ETag"]

    api.patch(url, {"note": "From the warehouse"}, token=token, headers={"If-Match": etag})
    api.client.force_login(analyst)
    etag = api.get(url)["ETag"]
    api.patch(
        url,
        {"note": "By hand"},
        headers={"If-Match": etag, "X-CSRFToken": "unused"},
    )

    history = api.get(f"{url}history/", token=token).json()
    assert [(entry["note"], entry["user"], entry["token"]) for entry in history[:2]] == [
        ("", "ana-analyst", None),
        (
            "",
            "ana-analyst",
            {"name": "DPPA warehouse", "prefix": ApiToken.objects.get().prefix},
        ),
    ]
    assert history[1]["changes"][0]["new"] == "From the warehouse"


def test_revoking_stops_the_token_at_once(
    manager_client, read_token, res2692, django_capture_on_commit_callbacks
):
    token = ApiToken.objects.get(prefix=read_token[3:15])
    other = Client()
    assert (
        other.get("/api/v1/actors/", headers={"Authorization": f"Bearer {read_token}"}).status_code
        == 200
    )

    with django_capture_on_commit_callbacks(execute=True):
        revoked = manager_client.post(f"{TOKENS}{token.pk}/revoke/")
    again = manager_client.post(f"{TOKENS}{token.pk}/revoke/")
    after = other.get("/api/v1/actors/", headers={"Authorization": f"Bearer {read_token}"})

    assert revoked.status_code == 200
    assert revoked.json()["revoked_by"] == "max-manager"
    assert again.status_code == 409
    assert after.status_code == 401
    assert after.json()["message"] == "This API token has been revoked."


def test_tokens_cannot_manage_tokens(api, make_token, manager):
    token = make_token(manager, read_only=False)

    listed = api.get(TOKENS, token=token)
    created = api.post(TOKENS, {"name": "Successor", "user": "max-manager"}, token=token)

    assert listed.status_code == created.status_code == 403
    assert listed.json()["message"] == (
        "Only a manager, signed in (not with a token), may manage API tokens."
    )
    assert ApiToken.objects.count() == 1


def test_token_list_filters(manager_client, make_token, analyst, manager):
    make_token(analyst, name="Read")
    make_token(manager, read_only=False, name="Write")

    def names(**params):
        response = manager_client.get(TOKENS, **params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names() == ["Write", "Read"]
    assert names(read_only="true") == ["Read"]
    assert names(user="max-manager", revoked="false") == ["Write"]
    assert names(revoked="true") == []


def test_session_writes_need_the_csrf_token(manager, options_report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    url = f"/api/v1/obligations/{options_report.schedule.obligation_id}/"
    etag = client.get(url)["ETag"]

    response = client.patch(
        url, '{"note": "x"}', content_type="application/json", headers={"If-Match": etag}
    )

    assert response.status_code == 403
    assert response.json()["message"].startswith("CSRF Failed")


def test_last_used_is_recorded_at_most_once_a_minute(
    api, write_token, options_report, frozen_clock
):
    token = ApiToken.objects.get(prefix=write_token[3:15])
    url = f"/api/v1/obligations/{options_report.schedule.obligation_id}/"

    def use(at):
        frozen_clock.move_to(at)
        etag = api.get(url, token=write_token)["ETag"]
        api.patch(url, {"note": at.isoformat()}, token=write_token, headers={"If-Match": etag})
        token.refresh_from_db()
        return token.last_used_at

    start = dt.datetime(2023, 9, 1, 14, 0, tzinfo=dt.UTC)
    assert use(start) == start
    assert use(start + dt.timedelta(seconds=59)) == start
    assert use(start + dt.timedelta(seconds=61)) == start + dt.timedelta(seconds=61)


def test_a_role_change_applies_to_the_next_request(api, write_token, analyst, options_report):
    url = f"/api/v1/obligations/{options_report.schedule.obligation_id}/"
    etag = api.get(url, token=write_token)["ETag"]
    analyst.groups.set([Group.objects.get(name="viewer")])

    write = api.patch(url, {"note": "x"}, token=write_token, headers={"If-Match": etag})
    read = api.get(url, token=write_token)
    analyst.groups.clear()
    no_role = api.get(url, token=write_token)
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])
    inactive = api.get(url, token=write_token)

    assert write.status_code == 403
    assert read.status_code == 200
    assert no_role.status_code == 403
    assert inactive.status_code == 401


def test_without_redis_the_api_goes_on_without_rate_limits(
    api, read_token, write_token, manager_client, settings, res2692, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    url = f"/api/v1/obligations/{res2692.paragraphs.get(number=18).obligations.get().pk}/"

    read = api.get(url, token=read_token)
    etag = api.get(url, token=write_token)["ETag"]
    write = api.patch(
        url, {"note": "Offline cache."}, token=write_token, headers={"If-Match": etag}
    )
    token = ApiToken.objects.get(prefix=read_token[3:15])
    revoked = manager_client.post(f"{TOKENS}{token.pk}/revoke/")
    after = api.get(url, token=read_token)

    assert (read.status_code, write.status_code, revoked.status_code) == (200, 200, 200)
    assert write.json()["note"] == "Offline cache."
    assert after.status_code == 401
    assert "Redis cannot be reached" in caplog.text
