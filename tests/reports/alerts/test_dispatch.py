import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from reports.alerts import dispatch
from reports.alerts.models import Alert, AlertDelivery, Webhook
from tests.reports.alerts.conftest import new_york, open_deadline, queued_messages

pytestmark = pytest.mark.django_db
NOW = new_york(2023, 8, 13, 9, 1)


@pytest.fixture
def alerts(frozen_clock):
    """Three alerts of one deadline, raised and fanned out to nobody yet."""
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    deadline = open_deadline(dt.date(2023, 8, 13))
    frozen_clock.move_to(NOW)
    return [
        Alert.objects.create(
            deadline=deadline,
            kind="lead",
            rule=f"lead-{days}d",
            moment=NOW - dt.timedelta(days=days),
            scheduled_on=deadline.scheduled_on,
            raised_at=NOW,
            fanned_out=True,
        )
        for days in (14, 7, 1)
    ]


def users(count: int, prefix: str):
    User = get_user_model()
    return User.objects.bulk_create(
        User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org") for n in range(count)
    )


def pending(alert, user, channel, **fields):
    return AlertDelivery(alert=alert, user=user, channel=channel, next_attempt_at=NOW, **fields)


def test_dispatch_publishes_a_bounded_number_of_messages_to_the_real_broker(
    alerts, broker, django_capture_on_commit_callbacks
):
    rows = [pending(alerts[0], user, "email") for user in users(450, "reader")]
    hooked = users(3, "hooked")
    rows += [
        pending(alerts[0], user, "webhook", webhook=Webhook.objects.create(owner=user, url=url))
        for user, url in zip(
            hooked, ["https://a.example/h", "https://b.example/h", "http://c/h"], strict=True
        )
    ]
    digesters = users(2, "digester")
    rows += [pending(alert, user, "digest") for alert in alerts for user in digesters]
    AlertDelivery.objects.bulk_create(rows)

    with django_capture_on_commit_callbacks(execute=True):
        published = dispatch.dispatch(now=timezone.now())

    messages = queued_messages(broker)
    batches = [args[0] for _task, args in messages]
    assert (
        published == len(messages) == 5
    )  # 450 e-mails in 3, 3 webhooks in 1, 6 digest entries in 1
    assert {task for task, _args in messages} == {dispatch.SEND_TASK}
    published_ids = [pk for batch in batches for pk in batch]
    assert sorted(published_ids) == sorted(d.pk for d in AlertDelivery.objects.all())
    assert max(len(batch) for batch in batches) == dispatch.MESSAGE_SIZE
    digest_batch = [b for b in batches if AlertDelivery.objects.get(pk=b[0]).channel == "digest"]
    assert len(digest_batch) == 1 and len(digest_batch[0]) == 6


def test_a_tick_claims_at_most_its_limit_and_leaves_the_rest_for_the_next(
    alerts, broker, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(dispatch, "DISPATCH_LIMIT", 300)
    AlertDelivery.objects.bulk_create(pending(alerts[0], u, "email") for u in users(450, "r"))

    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch.dispatch(now=timezone.now())
        second = dispatch.dispatch(now=timezone.now())

    assert (first, second) == (2, 1)
    assert sorted(len(args[0]) for _t, args in queued_messages(broker)) == [100, 150, 200]


def test_claimed_deliveries_are_offered_again_only_when_the_lease_runs_out(
    alerts, broker, django_capture_on_commit_callbacks
):
    AlertDelivery.objects.bulk_create(pending(alerts[0], u, "email") for u in users(2, "r"))

    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch.dispatch(now=NOW)
        during_lease = dispatch.dispatch(now=NOW + dispatch.LEASE - dt.timedelta(seconds=1))
        after_lease = dispatch.dispatch(now=NOW + dispatch.LEASE)

    assert (first, during_lease, after_lease) == (1, 0, 1)
    first_ids, again_ids = (args[0] for _t, args in reversed(queued_messages(broker)))
    assert first_ids == again_ids


def test_digest_entries_wait_for_the_digest_time(
    alerts, broker, django_capture_on_commit_callbacks
):
    (reader,) = users(1, "digester")
    digest_at = new_york(2023, 8, 13, 9, 30)
    AlertDelivery.objects.bulk_create(
        AlertDelivery(alert=a, user=reader, channel="digest", next_attempt_at=digest_at)
        for a in alerts
    )

    with django_capture_on_commit_callbacks(execute=True):
        early = dispatch.dispatch(now=digest_at - dt.timedelta(seconds=1))
        on_time = dispatch.dispatch(now=digest_at)

    assert (early, on_time) == (0, 1)
    ((_task, (ids,)),) = queued_messages(broker)
    assert len(ids) == 3


def test_nothing_due_means_one_query_and_no_message(alerts, django_assert_num_queries):
    with django_assert_num_queries(3):  # savepoint, select due deliveries, release
        assert dispatch.dispatch(now=timezone.now()) == 0
