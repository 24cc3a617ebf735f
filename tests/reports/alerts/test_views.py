import datetime as dt

import pytest
from django.utils import timezone

from reports.alerts.models import Alert, AlertDelivery, AlertPreference, Subscription, Webhook
from tests.factories import ActorFactory, UserFactory
from tests.reports.alerts.conftest import new_york, open_deadline

pytestmark = pytest.mark.django_db
PAGES = ["/inbox/", "/alerts/subscriptions/"]


def inbox_items(user, count=1, *, summary="Report to the Council.", read=False):
    """`count` alerts in the user's inbox, as the fan-out leaves them."""
    deadline = open_deadline(dt.date(2023, 8, 13))
    obligation = deadline.schedule.obligation
    obligation.summary = summary
    obligation.save(update_fields=["summary"])
    items = []
    for n in range(count):
        alert = Alert.objects.create(
            deadline=deadline,
            kind="overdue",
            rule=f"overdue-{n + 1}",
            moment=new_york(2023, 8, 15, 9) + dt.timedelta(days=7 * n),
            scheduled_on=deadline.scheduled_on,
            raised_at=timezone.now(),
            fanned_out=True,
        )
        items.append(
            AlertDelivery.objects.create(
                alert=alert,
                user=user,
                channel="inbox",
                status="sent",
                sent_at=timezone.now(),
                read_at=timezone.now() if read else None,
            )
        )
    return items


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", PAGES)
def test_users_without_a_role_are_refused(client, outsider, path):
    client.force_login(outsider)

    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["viewer", "analyst", "manager"])
@pytest.mark.parametrize("path", PAGES)
def test_every_role_has_an_inbox_and_subscriptions(client, request, role, path):
    client.force_login(request.getfixturevalue(role))

    assert client.get(path).status_code == 200


def test_inbox_lists_alerts_with_a_link_to_the_deadline(client, viewer):
    (item,) = inbox_items(viewer)
    deadline = item.alert.deadline
    client.force_login(viewer)

    page = client.get("/inbox/").content.decode()

    assert "Overdue by 2 days" in page
    assert f'href="/obligations/{deadline.schedule.obligation_id}/#deadline-{deadline.pk}"' in page
    assert "escalated to managers" in page
    assert f'action="/inbox/{item.pk}/read/"' in page


def test_inbox_escapes_user_written_text(client, viewer):
    inbox_items(viewer, summary="<script>alert(1)</script>")
    client.force_login(viewer)

    page = client.get("/inbox/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_inbox_shows_only_ones_own_items(client, viewer, analyst):
    inbox_items(analyst, summary="Not for Vera")
    client.force_login(viewer)

    page = client.get("/inbox/").content.decode()

    assert "Not for Vera" not in page
    assert "No alerts yet." in page


def test_unread_count_is_offered_to_every_page(client, viewer):
    inbox_items(viewer, 3)
    inbox_items(viewer, 2, read=True)
    client.force_login(viewer)

    response = client.get("/alerts/subscriptions/")

    assert response.context["inbox_unread_count"] == 3


def test_marking_an_item_read(client, viewer, frozen_clock):
    first, second = inbox_items(viewer, 2)
    client.force_login(viewer)

    response = client.post(f"/inbox/{first.pk}/read/")

    assert response.status_code == 302 and response["Location"] == "/inbox/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.read_at, second.read_at) == (timezone.now(), None)


def test_marking_read_needs_a_post(client, viewer):
    (item,) = inbox_items(viewer)
    client.force_login(viewer)

    assert client.get(f"/inbox/{item.pk}/read/").status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


def test_another_users_item_cannot_be_marked(client, viewer, analyst):
    (item,) = inbox_items(analyst)
    client.force_login(viewer)

    assert client.post(f"/inbox/{item.pk}/read/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_reads_only_ones_own(client, viewer, analyst):
    mine = inbox_items(viewer, 2)
    (theirs,) = inbox_items(analyst)
    client.force_login(viewer)

    client.post("/inbox/read/")

    assert AlertDelivery.objects.filter(pk__in=[i.pk for i in mine], read_at=None).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("count", [1, 40])
def test_inbox_query_count_is_constant(client, viewer, django_assert_num_queries, count):
    inbox_items(viewer, count)
    client.force_login(viewer)
    client.get("/inbox/")  # warm the session and permission caches

    # session, user, user and group permissions (role check), count for the pager, one
    # page of items with their alert, deadline, schedule, obligation, owner, paragraph and
    # resolution, the header's unread count
    with django_assert_num_queries(7):
        client.get("/inbox/")


def test_following_an_actor_a_resolution_or_both(client, viewer):
    binuh = ActorFactory(code="binuh")
    # Only resolutions with obligations are offered; this one gets one here.
    resolution = open_deadline(dt.date(2023, 8, 13)).schedule.obligation.paragraph.resolution
    client.force_login(viewer)

    for data in (
        {"actor": binuh.pk},
        {"resolution": resolution.pk},
        {"actor": binuh.pk, "resolution": resolution.pk},
    ):
        response = client.post("/alerts/subscriptions/", data)
        assert response.status_code == 302

    assert set(Subscription.objects.values_list("user", "actor", "resolution")) == {
        (viewer.pk, binuh.pk, None),
        (viewer.pk, None, resolution.pk),
        (viewer.pk, binuh.pk, resolution.pk),
    }
    page = client.get("/alerts/subscriptions/").content.decode()
    assert "All obligations of" in page and "Everything in" in page


def test_following_nothing_or_twice_is_a_form_error(client, viewer):
    binuh = ActorFactory(code="binuh")
    Subscription.objects.create(user=viewer, actor=binuh)
    client.force_login(viewer)

    empty = client.post("/alerts/subscriptions/", {})
    twice = client.post("/alerts/subscriptions/", {"actor": binuh.pk})
    unknown = client.post("/alerts/subscriptions/", {"actor": 999999})

    assert (empty.status_code, twice.status_code, unknown.status_code) == (400, 400, 400)
    assert "Choose an actor, a resolution, or both." in empty.content.decode()
    assert "You already follow this." in twice.content.decode()
    assert Subscription.objects.count() == 1


def test_unfollowing_ones_own_subscription_only(client, viewer, analyst):
    binuh = ActorFactory(code="binuh")
    mine = Subscription.objects.create(user=viewer, actor=binuh)
    theirs = Subscription.objects.create(user=analyst, actor=binuh)
    client.force_login(viewer)

    assert client.post(f"/alerts/subscriptions/{theirs.pk}/delete/").status_code == 404
    assert client.get(f"/alerts/subscriptions/{mine.pk}/delete/").status_code == 405
    assert client.post(f"/alerts/subscriptions/{mine.pk}/delete/").status_code == 302

    assert list(Subscription.objects.all()) == [theirs]


def test_choosing_a_daily_digest_in_french(client, viewer):
    client.force_login(viewer)

    response = client.post("/alerts/preferences/", {"digest": "on", "language": "fr"})

    assert response.status_code == 302
    preference = AlertPreference.objects.get(user=viewer)
    assert (preference.digest, preference.language) == (True, "fr")


def test_an_unknown_language_is_refused(client, viewer):
    client.force_login(viewer)

    response = client.post("/alerts/preferences/", {"language": "xx"})

    assert response.status_code == 400
    assert not AlertPreference.objects.exists()


def test_a_manager_adds_a_webhook_and_sees_its_secret(client, manager):
    client.force_login(manager)

    response = client.post("/alerts/webhooks/", {"url": "https://hooks.example.org/mt"})

    webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert (webhook.owner, webhook.url, webhook.active) == (
        manager,
        "https://hooks.example.org/mt",
        True,
    )
    page = client.get("/alerts/subscriptions/").content.decode()
    assert webhook.secret in page


def test_a_webhook_url_that_is_not_http_is_a_form_error(client, manager):
    client.force_login(manager)

    response = client.post("/alerts/webhooks/", {"url": "file:///etc/passwd"})

    assert response.status_code == 400
    assert response.content.decode().count("Enter a valid http or https URL.") == 1
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_only_managers_may_add_webhooks(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post("/alerts/webhooks/", {"url": "https://hooks.example.org/mt"})

    assert response.status_code == 403
    assert not Webhook.objects.exists()
    assert "Webhooks" not in client.get("/alerts/subscriptions/").content.decode()


def test_a_manager_removes_only_their_own_webhook(client, manager):
    other_manager = UserFactory(username="mia-manager", role="manager", password=None)
    mine = Webhook.objects.create(owner=manager, url="https://a.example.org/")
    theirs = Webhook.objects.create(owner=other_manager, url="https://b.example.org/")
    client.force_login(manager)

    assert client.post(f"/alerts/webhooks/{theirs.pk}/delete/").status_code == 404
    assert client.post(f"/alerts/webhooks/{mine.pk}/delete/").status_code == 302

    assert list(Webhook.objects.all()) == [theirs]


@pytest.mark.parametrize("count", [1, 20])
def test_subscriptions_page_query_count_is_constant(
    client, manager, django_assert_num_queries, count
):
    for n in range(count):
        Subscription.objects.create(user=manager, actor=ActorFactory())
        Webhook.objects.create(owner=manager, url=f"https://hooks.example.org/{n}")
    client.force_login(manager)
    client.get("/alerts/subscriptions/")

    # session, user, user and group permissions, preference, subscriptions (+actor,
    # resolution), actors and resolutions for the form's two lists, webhooks, webhook log,
    # the header's unread count
    with django_assert_num_queries(11):
        client.get("/alerts/subscriptions/")
