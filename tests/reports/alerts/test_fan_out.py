import datetime as dt

import pytest
from django.utils import timezone

from paragraphs.history import system_user
from reports.alerts import clock as alert_clock
from reports.alerts import fan_out
from reports.alerts.models import Alert, AlertDelivery, AlertPreference, Subscription, Webhook
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import (
    ActorFactory,
    ObligationFactory,
    ParagraphFactory,
    ResolutionFactory,
    ScheduleFactory,
    UserFactory,
)
from tests.reports.alerts.conftest import new_york

pytestmark = pytest.mark.django_db
LEAD_14 = new_york(2023, 7, 30, 9)
OVERDUE_1 = new_york(2023, 8, 15, 9)


@pytest.fixture
def world(frozen_clock, analyst, manager):
    """A BINUH report in one resolution, with UNODC contributing, and a crowd of followers."""
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    binuh, unodc, other_actor = (
        ActorFactory(code="binuh"),
        ActorFactory(code="unodc"),
        ActorFactory(),
    )
    resolution, other_resolution = ResolutionFactory(), ResolutionFactory()
    obligation = ObligationFactory(
        paragraph=ParagraphFactory(resolution=resolution), owner=binuh, assigned_analyst=analyst
    )
    obligation.contributors.add(unodc)
    schedule = ScheduleFactory(
        obligation=obligation, kind=ScheduleKind.ON_DATE, on_date=dt.date(2023, 8, 13)
    )
    schedule_sync_deadlines(schedule=schedule, by=system_user())

    def follower(name, role="viewer", email=True, **subject):
        # No password: they never sign in, and hashing one per user makes the fixture slow.
        user = UserFactory(
            username=name, role=role, email=f"{name}@example.org" if email else "", password=None
        )
        Subscription.objects.create(user=user, **subject)
        return user

    follower("owner-fan", actor=binuh)
    follower("contributor-fan", actor=unodc)
    follower("resolution-fan", resolution=resolution, email=False)
    follower("both-fan", actor=binuh, resolution=resolution)
    follower("other-resolution-fan", actor=binuh, resolution=other_resolution)
    follower("other-actor-fan", actor=other_actor)
    follower("no-role-fan", role=None, resolution=resolution)
    gone = follower("gone-fan", resolution=resolution)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    digest_fan = follower("digest-fan", actor=unodc)
    AlertPreference.objects.create(user=digest_fan, digest=True)
    for user in (analyst, manager):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    Webhook.objects.create(owner=manager, url="https://hooks.example.org/alerts")
    return obligation


def tick_at(clock, moment):
    clock.move_to(moment)
    return alert_clock.tick(now=timezone.now())


def received(alert) -> set[tuple[str, str]]:
    return {(d.user.username, d.channel) for d in alert.deliveries.select_related("user")}


def test_lead_alert_reaches_the_analyst_and_matching_followers_only(frozen_clock, world):
    tick_at(frozen_clock, LEAD_14)

    alert = Alert.objects.get()
    assert alert.fanned_out
    assert received(alert) == {
        ("ana-analyst", "inbox"),
        ("ana-analyst", "email"),
        ("owner-fan", "inbox"),
        ("owner-fan", "email"),
        ("contributor-fan", "inbox"),
        ("contributor-fan", "email"),
        ("resolution-fan", "inbox"),  # no address: inbox only
        ("both-fan", "inbox"),
        ("both-fan", "email"),
        ("digest-fan", "inbox"),
        ("digest-fan", "digest"),
    }


def test_overdue_alert_escalates_to_managers_and_their_webhooks(frozen_clock, world, manager):
    tick_at(frozen_clock, LEAD_14)

    tick_at(frozen_clock, OVERDUE_1)

    overdue = Alert.objects.get(rule="overdue-1")
    assert {u for u, _c in received(overdue)} == {
        "ana-analyst",
        "owner-fan",
        "contributor-fan",
        "resolution-fan",
        "both-fan",
        "digest-fan",
        "max-manager",
    }
    hook = AlertDelivery.objects.get(alert=overdue, channel="webhook")
    assert (hook.user, hook.webhook.url) == (manager, "https://hooks.example.org/alerts")
    assert not Alert.objects.get(rule="lead-14d").deliveries.filter(user=manager).exists()


def test_delivery_rows_start_in_the_right_state(frozen_clock, world):
    tick_at(frozen_clock, LEAD_14)

    rows = {
        (d.user.username, d.channel): (d.status, d.sent_at, d.next_attempt_at)
        for d in AlertDelivery.objects.select_related("user")
    }
    assert rows["owner-fan", "inbox"] == ("sent", LEAD_14, None)
    assert rows["owner-fan", "email"][0] == "pending"
    # 09:30 New York, after the day's 09:00 alerts: one digest mail a day.
    assert rows["digest-fan", "digest"] == ("pending", None, new_york(2023, 7, 30, 9, 30))


def test_fan_out_again_after_a_crash_creates_no_second_delivery(frozen_clock, world):
    tick_at(frozen_clock, LEAD_14)
    before = AlertDelivery.objects.count()
    # A worker killed after inserting deliveries but before marking the alert.
    Alert.objects.update(fanned_out=False)

    created_again = fan_out.fan_out(now=timezone.now())

    assert AlertDelivery.objects.count() == before
    assert created_again == before  # offered again, all absorbed by the unique constraints
    assert Alert.objects.filter(fanned_out=False).count() == 0


def test_fan_out_with_nothing_new_does_nothing(frozen_clock, world, django_assert_num_queries):
    tick_at(frozen_clock, LEAD_14)

    with django_assert_num_queries(3):  # savepoint, select pending alerts, release
        assert fan_out.fan_out(now=timezone.now()) == 0
