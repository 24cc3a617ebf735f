"""The alert services and selectors: what the pages call, and what the API will call."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone

from reports.alerts import selectors, services
from reports.alerts.models import Alert, AlertDelivery, AlertPreference, Subscription, Webhook
from reports.context_processors import inbox
from tests.factories import ActorFactory, ResolutionFactory
from tests.reports.alerts.conftest import new_york, open_deadline

pytestmark = pytest.mark.django_db


def test_subscribing_needs_a_role(outsider):
    with pytest.raises(PermissionDenied):
        services.subscription_create(user=outsider, actor=ActorFactory())

    assert not Subscription.objects.exists()


def test_a_subscription_needs_a_subject(viewer):
    with pytest.raises(ValidationError, match="Choose an actor, a resolution, or both"):
        services.subscription_create(user=viewer)


def test_subscribing_twice_is_refused_and_leaves_the_transaction_usable(viewer):
    actor, resolution = ActorFactory(), ResolutionFactory()
    services.subscription_create(user=viewer, actor=actor, resolution=resolution)

    with pytest.raises(ValidationError, match="You already follow this"):
        services.subscription_create(user=viewer, actor=actor, resolution=resolution)

    assert Subscription.objects.filter(user=viewer).count() == 1
    services.subscription_create(user=viewer, actor=actor)  # still usable afterwards
    assert list(selectors.subscriptions_for_user(viewer).values_list("actor", "resolution")) == [
        (actor.pk, resolution.pk),
        (actor.pk, None),
    ]


def test_one_cannot_delete_someone_elses_subscription(viewer, analyst):
    theirs = services.subscription_create(user=analyst, actor=ActorFactory())

    with pytest.raises(Subscription.DoesNotExist):
        services.subscription_delete(user=viewer, subscription_id=theirs.pk)

    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_webhooks_are_for_managers(analyst, manager):
    with pytest.raises(PermissionDenied):
        services.webhook_create(owner=analyst, url="https://hooks.example.org/")
    webhook = services.webhook_create(owner=manager, url="  https://hooks.example.org/  ")

    assert (webhook.url, len(webhook.secret)) == ("https://hooks.example.org/", 43)
    with pytest.raises(PermissionDenied):
        services.webhook_delete(owner=analyst, webhook_id=webhook.pk)
    with pytest.raises(ValidationError):
        services.webhook_create(owner=manager, url="https://hooks.example.org/")
    assert Webhook.objects.count() == 1


def test_preferences_accept_only_offered_languages(viewer):
    with pytest.raises(ValidationError):
        services.alert_preference_update(user=viewer, digest=True, language="tlh")
    services.alert_preference_update(user=viewer, digest=True, language="zh-hans")

    preference = selectors.preference_for(viewer)
    assert (preference.digest, preference.language) == (True, "zh-hans")


def test_without_a_saved_preference_the_defaults_apply(viewer):
    preference = selectors.preference_for(viewer)

    assert (preference.pk, preference.digest, preference.language) == (None, False, "en")
    assert not AlertPreference.objects.exists()


@pytest.fixture
def received(frozen_clock, viewer):
    """Two alerts of one deadline sent to the viewer (inbox and e-mail), one to nobody."""
    deadline = open_deadline(dt.date(2023, 9, 30))
    alerts = [
        Alert.objects.create(
            deadline=deadline,
            kind="lead",
            rule=rule,
            moment=moment,
            scheduled_on=deadline.scheduled_on,
            raised_at=moment,
            fanned_out=True,
        )
        for rule, moment in [
            ("lead-14d", new_york(2023, 9, 16, 9)),
            ("lead-7d", new_york(2023, 9, 23, 9)),
            ("lead-1d", new_york(2023, 9, 29, 9)),
        ]
    ]
    for alert in alerts[:2]:
        AlertDelivery.objects.create(
            alert=alert, user=viewer, channel="inbox", status="sent", sent_at=alert.moment
        )
        AlertDelivery.objects.create(
            alert=alert, user=viewer, channel="email", next_attempt_at=alert.moment
        )
    return alerts


def test_alerts_for_user_lists_each_alert_once_newest_first(received, viewer, analyst):
    assert list(selectors.alerts_for_user(viewer)) == [received[1], received[0]]
    assert list(selectors.alerts_for_user(analyst)) == []


def test_marking_read_twice_keeps_the_first_time(received, viewer, frozen_clock):
    item = selectors.inbox_for_user(viewer).last()
    first = services.inbox_mark_read(user=viewer, delivery_id=item.pk).read_at
    frozen_clock.move_to(timezone.now() + dt.timedelta(hours=1))

    again = services.inbox_mark_read(user=viewer, delivery_id=item.pk).read_at

    assert again == first
    assert selectors.inbox_unread_count(viewer) == 1


def test_only_inbox_items_can_be_marked_read(received, viewer):
    email = AlertDelivery.objects.filter(channel="email").first()

    with pytest.raises(AlertDelivery.DoesNotExist):
        services.inbox_mark_read(user=viewer, delivery_id=email.pk)


def test_the_context_processor_counts_only_when_shown(received, viewer, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = viewer

    with django_assert_num_queries(0):
        context = inbox(request)
    with django_assert_num_queries(1):  # the count, once, when a template shows it
        assert f"{context['inbox_unread_count']}" == "2"


def test_the_context_processor_gives_anonymous_visitors_nothing():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    assert inbox(request) == {}
