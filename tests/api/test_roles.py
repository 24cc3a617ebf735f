"""Who may do what: every endpoint and method, for each kind of caller.

The roles are the browser's (paragraphs.roles); tokens add two limits: read-only tokens
never write, and tokens never manage tokens. Alerts and subscriptions are the caller's
own, so every role may write them.
"""

import pytest
from django.test import Client
from django.utils import timezone

from paragraphs.models import ApiToken
from reports.alerts.models import Alert, AlertDelivery, Subscription
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db

PRINCIPALS = [
    "anonymous",
    "outsider",
    "viewer",
    "analyst",
    "manager",
    "read_only_token",
    "read_write_token",
    "revoked_token",
]
READ = dict(zip(PRINCIPALS, [401, 403, 200, 200, 200, 200, 200, 401], strict=True))
EDIT = dict(zip(PRINCIPALS, [401, 403, 403, 200, 200, 403, 200, 401], strict=True))
ASSIGN = dict(zip(PRINCIPALS, [401, 403, 403, 403, 200, 403, 403, 401], strict=True))
MANAGE = dict(zip(PRINCIPALS, [401, 403, 403, 403, 200, 403, 403, 401], strict=True))
OWN = dict(zip(PRINCIPALS, [401, 403, 200, 200, 200, 403, 200, 401], strict=True))
# Swagger UI is a page for people: the sign-in page first (302), whatever token is sent.
SIGNED_IN_PAGE = dict.fromkeys(PRINCIPALS, 302) | {"viewer": 200, "analyst": 200, "manager": 200}

# name: (method, path template, body, path whose ETag goes in If-Match, expected)
ENDPOINTS = {
    "resolutions": ("get", "/api/v1/resolutions/", None, None, READ),
    "resolution": ("get", "/api/v1/resolutions/{resolution}/", None, None, READ),
    "paragraphs": ("get", "/api/v1/resolutions/{resolution}/paragraphs/", None, None, READ),
    "paragraph": ("get", "/api/v1/resolutions/{resolution}/paragraphs/{number}/", None, None, READ),
    "actors": ("get", "/api/v1/actors/", None, None, READ),
    "actor": ("get", "/api/v1/actors/{actor}/", None, None, READ),
    "obligations": ("get", "/api/v1/obligations/", None, None, READ),
    "obligation": ("get", "/api/v1/obligations/{obligation}/", None, None, READ),
    "obligation_history": ("get", "/api/v1/obligations/{obligation}/history/", None, None, READ),
    "schedules": ("get", "/api/v1/schedules/", None, None, READ),
    "schedule": ("get", "/api/v1/schedules/{schedule}/", None, None, READ),
    "schedule_history": ("get", "/api/v1/schedules/{schedule}/history/", None, None, READ),
    "deadlines": ("get", "/api/v1/deadlines/", None, None, READ),
    "deadline": ("get", "/api/v1/deadlines/{deadline}/", None, None, READ),
    "deadline_history": ("get", "/api/v1/deadlines/{deadline}/history/", None, None, READ),
    "obligation_status": (
        "patch",
        "/api/v1/obligations/{obligation}/",
        {"status": "in_progress", "note": "Started"},
        "/api/v1/obligations/{obligation}/",
        EDIT,
    ),
    "obligation_owner": (
        "patch",
        "/api/v1/obligations/{obligation}/",
        {"owner": "new-owner"},
        "/api/v1/obligations/{obligation}/",
        ASSIGN,
    ),
    "deliver": (
        "post",
        "/api/v1/deadlines/{deadline}/deliver/",
        {"delivered_on": "2023-08-14"},
        "/api/v1/deadlines/{deadline}/",
        EDIT,
    ),
    "reschedule": (
        "post",
        "/api/v1/deadlines/{deadline}/reschedule/",
        {"scheduled_on": "2023-09-15", "reason": "Programme of work"},
        "/api/v1/deadlines/{deadline}/",
        EDIT,
    ),
    "waive": (
        "post",
        "/api/v1/deadlines/{deadline}/waive/",
        {"reason": "Overtaken by events"},
        "/api/v1/deadlines/{deadline}/",
        EDIT,
    ),
    "tokens": ("get", "/api/v1/tokens/", None, None, MANAGE),
    "token": ("get", "/api/v1/tokens/{token}/", None, None, MANAGE),
    "token_create": (
        "post",
        "/api/v1/tokens/",
        {"name": "New system"},
        None,
        MANAGE | {"manager": 201},
    ),
    "token_revoke": ("post", "/api/v1/tokens/{token}/revoke/", None, None, MANAGE),
    "alerts": ("get", "/api/v1/alerts/", None, None, READ),
    "alert": ("get", "/api/v1/alerts/{alert}/", None, None, READ),
    "alert_read": ("post", "/api/v1/alerts/{alert}/read/", None, None, OWN),
    "alerts_read": ("post", "/api/v1/alerts/read/", None, None, OWN),
    "subscriptions": ("get", "/api/v1/subscriptions/", None, None, READ),
    "subscription": ("get", "/api/v1/subscriptions/{subscription}/", None, None, READ),
    "subscribe": (
        "post",
        "/api/v1/subscriptions/",
        {"actor": "new-owner"},
        None,
        OWN | {"viewer": 201, "analyst": 201, "manager": 201, "read_write_token": 201},
    ),
    "unsubscribe": (
        "delete",
        "/api/v1/subscriptions/{subscription}/",
        None,
        None,
        OWN | {"viewer": 204, "analyst": 204, "manager": 204, "read_write_token": 204},
    ),
    "schema": ("get", "/api/v1/schema/", None, None, READ),
    "docs": ("get", "/api/v1/docs/", None, None, SIGNED_IN_PAGE | {"outsider": 403}),
}


@pytest.fixture
def world(options_report, make_token, viewer, analyst, manager, outsider, revoked_token):
    obligation = options_report.schedule.obligation
    ActorFactory(code="new-owner")
    target = make_token(viewer)
    # One alert that reached every role's inbox, and a subscription of each role.
    alert = Alert.objects.create(
        deadline=options_report,
        kind="overdue",
        rule="overdue-1",
        moment=timezone.now(),
        scheduled_on=options_report.scheduled_on,
        raised_at=timezone.now(),
        fanned_out=True,
    )
    own = {}
    for user in (viewer, analyst, manager):
        AlertDelivery.objects.create(
            alert=alert, user=user, channel="inbox", status="sent", sent_at=timezone.now()
        )
        own[user] = Subscription.objects.create(user=user, actor=obligation.owner).pk
    return {
        "resolution": obligation.paragraph.resolution_id,
        "number": obligation.paragraph.number,
        "actor": obligation.owner.code,
        "obligation": obligation.pk,
        "schedule": options_report.schedule_id,
        "deadline": options_report.pk,
        "token": ApiToken.objects.get(prefix=target[3:15]).pk,
        "alert": alert.pk,
        # The caller's own subscription: the tokens act as the analyst; the others never
        # get as far as looking one up.
        "subscription_of": dict.fromkeys(PRINCIPALS, own[viewer])
        | dict.fromkeys(
            ["analyst", "read_only_token", "read_write_token", "revoked_token"], own[analyst]
        )
        | {"manager": own[manager]},
        "tokens": {
            "read_only_token": make_token(analyst, read_only=True),
            "read_write_token": make_token(analyst, read_only=False),
            "revoked_token": revoked_token,
        },
        "users": {"outsider": outsider, "viewer": viewer, "analyst": analyst, "manager": manager},
    }


def _client(world, principal) -> tuple[Client, dict]:
    client = Client()
    if principal in world["users"]:
        client.force_login(world["users"][principal])
    headers = {}
    if principal in world["tokens"]:
        headers["Authorization"] = f"Bearer {world['tokens'][principal]}"
    return client, headers


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_role_matrix(world, endpoint, principal):
    method, template, body, etag_of, expected = ENDPOINTS[endpoint]
    path = template.format(**world, subscription=world["subscription_of"][principal])
    client, headers = _client(world, principal)
    if etag_of:
        reader = Client()
        reader.force_login(UserFactory(username="reader", role="viewer"))
        headers["If-Match"] = reader.get(etag_of.format(**world))["ETag"]

    if method == "get":
        response = client.get(path, headers=headers)
    else:
        response = getattr(client, method)(
            path, body or {}, content_type="application/json", headers=headers
        )

    assert response.status_code == expected[principal], response.content
