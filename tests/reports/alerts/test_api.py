"""/api/v1/alerts/ and /api/v1/subscriptions/: one's own alerts and what one follows."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from paragraphs.services import api_token_create
from reports.alerts import fan_out, scan
from reports.alerts.models import Alert, AlertDelivery, Subscription, Webhook
from tests.api.conftest import Api
from tests.factories import ActorFactory, ResolutionFactory
from tests.reports.alerts.conftest import new_york, open_deadline

pytestmark = pytest.mark.django_db
LEAD_7 = new_york(2023, 8, 6, 9)
DUE = new_york(2023, 8, 13, 9)
OVERDUE_1 = new_york(2023, 8, 15, 9)
HOST = "http://testserver"


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def token_for(db):
    def make(user, *, read_only=True):
        _token, text = api_token_create(user=user, name="Test system", read_only=read_only, by=user)
        return text

    return make


@pytest.fixture
def deadline(frozen_clock):
    """An open report due Sunday 13 August 2023, in a resolution of its own."""
    return open_deadline(dt.date(2023, 8, 13))


def raise_alert(deadline, *users, rule="lead-7d", kind="lead", moment=LEAD_7, email=False):
    """An alert as the scan and fan-out leave it: an inbox item (and an e-mail) per user."""
    alert = Alert.objects.create(
        deadline=deadline,
        kind=kind,
        rule=rule,
        moment=moment,
        scheduled_on=deadline.scheduled_on,
        raised_at=moment,
        fanned_out=True,
    )
    for user in users:
        AlertDelivery.objects.create(
            alert=alert, user=user, channel="inbox", status="sent", sent_at=moment
        )
        if email:
            AlertDelivery.objects.create(
                alert=alert, user=user, channel="email", status="sent", attempts=1, sent_at=moment
            )
    return alert


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [alert["id"] for alert in response.json()["results"]]


def unread_in_the_browser(user) -> int:
    browser = Client()
    browser.force_login(user)
    return browser.get("/inbox/").context["inbox_unread_count"]


# Alerts: reading


def test_an_alert_as_the_api_shows_it(api, token_for, viewer, deadline):
    alert = raise_alert(deadline, viewer)
    obligation = deadline.schedule.obligation

    (shown,) = api.get("/api/v1/alerts/", token=token_for(viewer)).json()["results"]

    assert shown == {
        "id": alert.pk,
        "kind": "lead",
        "rule": "lead-7d",
        "moment": "2023-08-06T13:00:00Z",
        "scheduled_on": "2023-08-13",
        "raised_at": "2023-08-06T13:00:00Z",
        "deadline": deadline.pk,
        "deadline_url": f"{HOST}/api/v1/deadlines/{deadline.pk}/",
        "obligation": obligation.pk,
        "obligation_url": f"{HOST}/api/v1/obligations/{obligation.pk}/",
        "resolution": obligation.paragraph.resolution.symbol,
        "resolution_id": obligation.paragraph.resolution_id,
        "paragraph": obligation.paragraph.number,
        "summary": "Report to the Council.",
        "owner": obligation.owner.code,
        "headline": "Due in 7 days",
        "read": False,
        "url": f"{HOST}/api/v1/alerts/{alert.pk}/",
    }


def test_the_headline_speaks_the_requests_language(api, token_for, viewer, deadline):
    raise_alert(deadline, viewer, rule="overdue-1", kind="overdue", moment=OVERDUE_1)
    token = token_for(viewer)

    headlines = [
        api.get("/api/v1/alerts/", token=token, headers={"Accept-Language": language}).json()[
            "results"
        ][0]["headline"]
        for language in ("en", "fr")
    ]

    assert headlines == ["Overdue by 2 days", "En retard de 2 jours"]


def test_one_sees_only_the_alerts_one_received_newest_first(api, token_for, viewer, analyst):
    first = raise_alert(open_deadline(dt.date(2023, 8, 13)), viewer, analyst, moment=LEAD_7)
    second = raise_alert(
        open_deadline(dt.date(2023, 8, 20)), viewer, moment=new_york(2023, 8, 13, 9)
    )
    theirs = raise_alert(open_deadline(dt.date(2023, 8, 27)), analyst)
    token = token_for(viewer)

    assert listed(api.get("/api/v1/alerts/", token=token)) == [second.pk, first.pk]
    assert api.get(f"/api/v1/alerts/{theirs.pk}/", token=token).status_code == 404
    assert api.get(f"/api/v1/alerts/{first.pk}/", token=token).status_code == 200


def test_an_alert_received_only_by_e_mail_is_listed_too(api, token_for, viewer, deadline):
    alert = raise_alert(deadline)
    AlertDelivery.objects.create(
        alert=alert, user=viewer, channel="email", status="sent", sent_at=LEAD_7
    )

    assert listed(api.get("/api/v1/alerts/", token=token_for(viewer))) == [alert.pk]


def test_the_detail_lists_the_callers_deliveries_only(api, token_for, viewer, analyst, deadline):
    alert = raise_alert(deadline, viewer, analyst, email=True)
    inbox, email = AlertDelivery.objects.filter(alert=alert, user=viewer).order_by("id")

    response = api.get(f"/api/v1/alerts/{alert.pk}/", token=token_for(viewer))

    assert response.status_code == 200
    assert response.json()["deliveries"] == [
        {
            "id": inbox.pk,
            "channel": "inbox",
            "webhook": None,
            "status": "sent",
            "attempts": 0,
            "last_error": "",
            "sent_at": "2023-08-06T13:00:00Z",
            "read_at": None,
        },
        {
            "id": email.pk,
            "channel": "email",
            "webhook": None,
            "status": "sent",
            "attempts": 1,
            "last_error": "",
            "sent_at": "2023-08-06T13:00:00Z",
            "read_at": None,
        },
    ]
    assert response["ETag"]


@pytest.fixture
def three_alerts(frozen_clock, viewer):
    """A lead alert (read) and an overdue one about one obligation, a due one about another."""
    report, other = open_deadline(dt.date(2023, 8, 13)), open_deadline(dt.date(2023, 8, 13))
    lead = raise_alert(report, viewer, moment=LEAD_7)
    overdue = raise_alert(report, viewer, rule="overdue-1", kind="overdue", moment=OVERDUE_1)
    due = raise_alert(other, viewer, rule="due", kind="due", moment=DUE)
    AlertDelivery.objects.filter(alert=lead).update(read_at=timezone.now())
    return {"lead": lead, "due": due, "overdue": overdue, "report": report, "other": other}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["overdue", "due", "lead"]),
        ({"kind": "overdue"}, ["overdue"]),
        ({"unread": "true"}, ["overdue", "due"]),
        ({"unread": "false"}, ["lead"]),
        ({"obligation": "report"}, ["overdue", "lead"]),
        ({"resolution": "other"}, ["due"]),
        ({"since": "2023-08-13T13:00:00Z"}, ["overdue", "due"]),  # at the due moment: in
        ({"before": "2023-08-13T13:00:00Z"}, ["lead"]),  # at the due moment: out
        ({"since": "2023-08-13T09:00:00-04:00", "kind": "due"}, ["due"]),
        ({"ordering": "moment"}, ["lead", "due", "overdue"]),
    ],
)
def test_alert_filters(api, token_for, viewer, three_alerts, params, expected):
    report, other = three_alerts["report"], three_alerts["other"]
    if "obligation" in params:
        params["obligation"] = str(report.schedule.obligation_id)
    if "resolution" in params:
        params["resolution"] = str(other.schedule.obligation.paragraph.resolution_id)

    response = api.get("/api/v1/alerts/", token=token_for(viewer), **params)

    assert listed(response) == [three_alerts[name].pk for name in expected]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "soon"},
        {"unread": "yes"},
        {"obligation": "0"},
        {"since": "yesterday"},
        {"before": ""},
        {"ordering": "rule"},
        {"channel": "inbox"},
    ],
)
def test_bad_filters_are_refused_by_name(api, token_for, viewer, three_alerts, params):
    response = api.get("/api/v1/alerts/", token=token_for(viewer), **params)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(params)


def test_pages_follow_newest_first(api, token_for, viewer, three_alerts):
    token = token_for(viewer)

    first = api.get("/api/v1/alerts/", token=token, page_size="2").json()
    second = api.client.get(first["next"], headers={"Authorization": f"Bearer {token}"}).json()

    assert [a["id"] for a in first["results"] + second["results"]] == [
        three_alerts[name].pk for name in ("overdue", "due", "lead")
    ]
    assert second["next"] is None


# Alerts: marking read


def test_marking_an_alert_read(api, token_for, viewer, analyst, deadline, frozen_clock):
    alert = raise_alert(deadline, viewer, analyst)
    other = raise_alert(deadline, viewer, rule="due", kind="due", moment=DUE)
    token = token_for(viewer, read_only=False)

    response = api.post(f"/api/v1/alerts/{alert.pk}/read/", token=token)

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["read"]) == (alert.pk, True)
    assert response.json()["deliveries"][0]["read_at"] == "2023-09-01T14:00:00Z"
    read_at = dict(AlertDelivery.objects.values_list("alert_id", "read_at").filter(user=viewer))
    assert read_at == {alert.pk: timezone.now(), other.pk: None}
    assert AlertDelivery.objects.get(alert=alert, user=analyst).read_at is None
    assert unread_in_the_browser(viewer) == 1


def test_marking_read_again_keeps_the_first_time(api, token_for, viewer, deadline, frozen_clock):
    alert = raise_alert(deadline, viewer)
    token = token_for(viewer, read_only=False)
    api.post(f"/api/v1/alerts/{alert.pk}/read/", token=token)
    frozen_clock.move_to(timezone.now() + dt.timedelta(hours=1))

    response = api.post(f"/api/v1/alerts/{alert.pk}/read/", token=token)

    assert response.json()["deliveries"][0]["read_at"] == "2023-09-01T14:00:00Z"


def test_an_alert_one_did_not_receive_cannot_be_marked(api, token_for, viewer, analyst, deadline):
    theirs = raise_alert(deadline, analyst)

    response = api.post(
        f"/api/v1/alerts/{theirs.pk}/read/", token=token_for(viewer, read_only=False)
    )

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert AlertDelivery.objects.get(alert=theirs).read_at is None


def test_marking_all_read(api, token_for, viewer, analyst, three_alerts, frozen_clock):
    theirs = raise_alert(
        three_alerts["report"], analyst, rule="lead-14d", moment=new_york(2023, 7, 30, 9)
    )
    token = token_for(viewer, read_only=False)
    assert unread_in_the_browser(viewer) == 2

    first = api.post("/api/v1/alerts/read/", token=token)
    again = api.post("/api/v1/alerts/read/", token=token)

    assert (first.status_code, first.json()) == (200, {"marked_read": 2})
    assert again.json() == {"marked_read": 0}
    assert not AlertDelivery.objects.filter(user=viewer, read_at=None).exists()
    assert AlertDelivery.objects.get(alert=theirs).read_at is None
    assert unread_in_the_browser(viewer) == 0
    assert listed(api.get("/api/v1/alerts/", token=token, unread="true")) == []


def test_marking_all_read_takes_no_filters(api, token_for, viewer, three_alerts):
    response = api.post("/api/v1/alerts/read/?kind=due", token=token_for(viewer, read_only=False))

    assert (response.status_code, set(response.json()["fields"])) == (400, {"kind"})
    assert unread_in_the_browser(viewer) == 2


def test_a_read_only_token_marks_nothing(api, token_for, viewer, deadline):
    alert = raise_alert(deadline, viewer)

    response = api.post(f"/api/v1/alerts/{alert.pk}/read/", token=token_for(viewer))

    assert response.status_code == 403
    assert AlertDelivery.objects.get().read_at is None


def test_a_browser_session_marks_read_with_the_csrf_token_only(viewer, deadline):
    alert = raise_alert(deadline, viewer)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(viewer)
    browser.get("/inbox/")  # sets the CSRF cookie
    path = f"/api/v1/alerts/{alert.pk}/read/"

    refused = browser.post(path, content_type="application/json")
    accepted = browser.post(
        path,
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )

    assert (refused.status_code, accepted.status_code) == (403, 200)


# Subscriptions


def test_following_an_actor_a_resolution_or_both(api, token_for, viewer, deadline):
    binuh = ActorFactory(code="binuh")
    resolution = deadline.schedule.obligation.paragraph.resolution
    token = token_for(viewer, read_only=False)

    responses = [
        api.post("/api/v1/subscriptions/", body, token=token)
        for body in (
            {"actor": "binuh"},
            {"resolution": resolution.pk, "actor": None},
            {"actor": "binuh", "resolution": resolution.pk},
        )
    ]

    assert [r.status_code for r in responses] == [201, 201, 201]
    subscriptions = list(Subscription.objects.order_by("id"))
    assert [(s.user, s.actor, s.resolution) for s in subscriptions] == [
        (viewer, binuh, None),
        (viewer, None, resolution),
        (viewer, binuh, resolution),
    ]
    first = subscriptions[0]
    assert responses[0].json() == {
        "id": first.pk,
        "actor": "binuh",
        "resolution": None,
        "resolution_symbol": None,
        "created_at": "2023-09-01T14:00:00Z",
        "url": f"{HOST}/api/v1/subscriptions/{first.pk}/",
    }
    assert responses[0]["Location"] == f"{HOST}/api/v1/subscriptions/{first.pk}/"
    assert (responses[2].json()["actor"], responses[2].json()["resolution_symbol"]) == (
        "binuh",
        resolution.symbol,
    )


def test_subscribing_through_the_api_brings_the_next_alert(api, token_for, frozen_clock, viewer):
    """Subscribe, then the scan and fan-out of the deadline's `due` moment reach the user."""
    frozen_clock.move_to(new_york(2023, 8, 12, 15))
    deadline = open_deadline(dt.date(2023, 8, 13))  # after lead-1d: `due` comes next
    viewer.email = "vera@example.org"
    viewer.save(update_fields=["email"])
    token = token_for(viewer, read_only=False)
    owner = deadline.schedule.obligation.owner.code

    subscribed = api.post("/api/v1/subscriptions/", {"actor": owner}, token=token)
    frozen_clock.move_to(DUE)
    scan.scan(now=timezone.now())
    fan_out.fan_out(now=timezone.now())

    assert subscribed.status_code == 201
    alert = Alert.objects.get()
    assert alert.rule == "due"
    assert set(alert.deliveries.values_list("user__username", "channel")) == {
        ("vera-viewer", "inbox"),
        ("vera-viewer", "email"),
    }
    (shown,) = api.get("/api/v1/alerts/", token=token, unread="true").json()["results"]
    assert (shown["id"], shown["headline"], shown["read"]) == (alert.pk, "Due today", False)


@pytest.fixture
def following_binuh(viewer):
    return Subscription.objects.create(user=viewer, actor=ActorFactory(code="binuh"))


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"actor": "binuh"}, {"non_field_errors": ["You already follow this."]}),
        ({}, {"non_field_errors": ["Choose an actor, a resolution, or both."]}),
        (
            {"actor": None, "resolution": None},
            {"non_field_errors": ["Choose an actor, a resolution, or both."]},
        ),
        ({"actor": "nobody"}, {"actor": ["Object with code=nobody does not exist."]}),
        ({"actor": 7}, {"actor": ["Invalid value."]}),
        (
            {"resolution": 999_999_999},
            {"resolution": ['Invalid pk "999999999" - object does not exist.']},
        ),
        ({"resolution": "1"}, {"resolution": ["Incorrect type. Expected pk value, received str."]}),
        (
            {"resolution": True},
            {"resolution": ["Incorrect type. Expected pk value, received bool."]},
        ),
        ({"actor": "binuh", "colour": "red"}, {"colour": ["Unknown field."]}),
        (["binuh"], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
def test_a_refused_subscription_names_the_field_and_saves_nothing(
    api, token_for, viewer, following_binuh, body, fields
):
    response = api.post("/api/v1/subscriptions/", body, token=token_for(viewer, read_only=False))

    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["fields"]) == ("invalid", fields)
    assert list(Subscription.objects.all()) == [following_binuh]


def test_a_body_that_is_not_json_saves_nothing(api, token_for, viewer, following_binuh):
    response = api.post(
        "/api/v1/subscriptions/", raw='{"actor": "bin', token=token_for(viewer, read_only=False)
    )

    assert (response.status_code, response.json()["code"]) == (400, "parse_error")
    assert list(Subscription.objects.all()) == [following_binuh]


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Vous suivez déjà cet élément."), ("zh-hans", "您已关注此项。")],
)
def test_the_duplicate_error_speaks_the_users_language(
    api, token_for, viewer, following_binuh, language, message
):
    response = api.post(
        "/api/v1/subscriptions/",
        {"actor": "binuh"},
        token=token_for(viewer, read_only=False),
        headers={"Accept-Language": language},
    )

    assert response.json()["fields"] == {"non_field_errors": [message]}


def test_a_resolution_without_text_cannot_be_followed(api, token_for, viewer):
    cited_only = ResolutionFactory()

    response = api.post(
        "/api/v1/subscriptions/",
        {"resolution": cited_only.pk},
        token=token_for(viewer, read_only=False),
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["resolution"]
    assert not Subscription.objects.exists()


def test_one_lists_and_reads_only_ones_own_subscriptions(api, token_for, viewer, analyst):
    binuh, unodc = ActorFactory(code="binuh"), ActorFactory(code="unodc")
    mine = [
        Subscription.objects.create(user=viewer, actor=binuh),
        Subscription.objects.create(user=viewer, actor=unodc),
    ]
    theirs = Subscription.objects.create(user=analyst, actor=binuh)
    token = token_for(viewer)

    response = api.get("/api/v1/subscriptions/", token=token)

    assert listed(response) == [s.pk for s in mine]
    assert [s["actor"] for s in response.json()["results"]] == ["binuh", "unodc"]
    assert api.get(f"/api/v1/subscriptions/{mine[0].pk}/", token=token).status_code == 200
    assert api.get(f"/api/v1/subscriptions/{theirs.pk}/", token=token).status_code == 404


def test_unfollowing_ones_own_subscription_only(api, token_for, viewer, analyst):
    binuh = ActorFactory(code="binuh")
    mine = Subscription.objects.create(user=viewer, actor=binuh)
    theirs = Subscription.objects.create(user=analyst, actor=binuh)
    token = token_for(viewer, read_only=False)

    refused = api.send("delete", f"/api/v1/subscriptions/{theirs.pk}/", token=token)
    deleted = api.send("delete", f"/api/v1/subscriptions/{mine.pk}/", token=token)
    again = api.send("delete", f"/api/v1/subscriptions/{mine.pk}/", token=token)

    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert again.status_code == 404
    assert list(Subscription.objects.all()) == [theirs]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_subscriptions_cannot_be_changed(api, token_for, viewer, following_binuh, method):
    response = api.send(
        method,
        f"/api/v1/subscriptions/{following_binuh.pk}/",
        {"actor": "unodc"},
        token=token_for(viewer, read_only=False),
    )

    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


# Query counts: token reads after the first come from the cache, so no query authenticates.


def _count(api, token, path, django_assert_num_queries, queries):
    assert api.get(path, token=token).status_code == 200  # warm-up
    with django_assert_num_queries(queries):
        response = api.get(path, token=token)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("count", [1, 30])
def test_alert_list_query_count(
    api, token_for, viewer, frozen_clock, django_assert_num_queries, count
):
    for n in range(count):
        raise_alert(open_deadline(dt.date(2023, 8, 13)), viewer, moment=LEAD_7 + dt.timedelta(n))

    # the token with its user; the user's and its groups' permissions; the page of alerts,
    # each with its inbox read time, deadline, schedule, obligation, owner, paragraph and
    # resolution
    body = _count(api, token_for(viewer), "/api/v1/alerts/", django_assert_num_queries, 4)

    assert len(body["results"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_alert_detail_query_count(
    api, token_for, manager, deadline, django_assert_num_queries, count
):
    alert = raise_alert(deadline, manager, email=True)
    for n in range(count - 1):
        AlertDelivery.objects.create(
            alert=alert,
            user=manager,
            channel="webhook",
            webhook=Webhook.objects.create(owner=manager, url=f"https://hooks.example.org/{n}"),
            next_attempt_at=LEAD_7,
        )

    # the token, the permissions (3, as above); the alert (as in the list); the caller's
    # deliveries with their webhooks
    body = _count(
        api, token_for(manager), f"/api/v1/alerts/{alert.pk}/", django_assert_num_queries, 5
    )

    assert len(body["deliveries"]) == count + 1


@pytest.mark.parametrize("count", [1, 20])
def test_subscription_list_query_count(api, token_for, viewer, django_assert_num_queries, count):
    resolution = ResolutionFactory()
    for _n in range(count):
        Subscription.objects.create(user=viewer, actor=ActorFactory(), resolution=resolution)

    # the token, the permissions (3, as above); the page of subscriptions with their actors
    # and resolutions
    body = _count(api, token_for(viewer), "/api/v1/subscriptions/", django_assert_num_queries, 4)

    assert len(body["results"]) == count
