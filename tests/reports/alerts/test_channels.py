import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from paragraphs.history import system_user
from reports.alerts import channels
from reports.alerts import clock as alert_clock
from reports.alerts.models import AlertDelivery, AlertPreference, Webhook
from reports.alerts.services import webhook_create
from reports.enums import ScheduleKind
from reports.services import deadline_deliver, schedule_sync_deadlines
from tests.factories import ObligationFactory, ScheduleFactory
from tests.reports.alerts.conftest import new_york, queued_messages
from tests.reports.alerts.webhook_receiver import verify

pytestmark = pytest.mark.django_db
LEAD_14 = new_york(2023, 7, 30, 9)
CLOSED_PORT = 8108  # loopback ports 8103-8110 are this suite's


@pytest.fixture
def report(frozen_clock, analyst):
    """Paragraph 18's options report, due Sunday 13 August 2023, assigned to the analyst."""
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    analyst.email = "ana@example.org"
    analyst.save(update_fields=["email"])
    obligation = ObligationFactory(
        assigned_analyst=analyst, summary="Options to improve security, written with Haiti."
    )
    schedule = ScheduleFactory(
        obligation=obligation,
        kind=ScheduleKind.ON_DATE,
        on_date=dt.date(2023, 8, 13),
        label="Options report (30 days)",
    )
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=system_user())
    return deadline


def tick_at(clock, moment):
    clock.move_to(moment)
    return alert_clock.tick(now=timezone.now())


@pytest.fixture
def tick_and_publish(frozen_clock, broker, django_capture_on_commit_callbacks):
    """A tick whose broker messages are published, as when its transactions commit."""

    def run(moment):
        with django_capture_on_commit_callbacks(execute=True):
            tick_at(frozen_clock, moment)

    return run


def one(channel, **filters) -> AlertDelivery:
    return AlertDelivery.objects.get(channel=channel, **filters)


def drain(broker) -> None:
    """Do what the worker does with each queued message (the task only calls this function)."""
    for _task, (ids,) in reversed(queued_messages(broker)):
        channels.send(ids)
    broker.delete("celery")


def test_alert_email_has_plain_text_html_and_an_absolute_link(
    frozen_clock, report, mailoutbox, settings
):
    settings.SITE_URL = "https://tracker.example.org/"
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("email").pk])

    (mail,) = mailoutbox
    link = (
        f"https://tracker.example.org/obligations/{report.schedule.obligation_id}/"
        f"#deadline-{report.pk}"
    )
    paragraph = str(report.schedule.obligation.paragraph)
    assert mail.to == ["ana@example.org"]
    assert mail.subject == (
        f"[Mandate Tracker] Due in 14 days: {paragraph} · Options report (30 days) #1"
    )
    assert f"Open the obligation: {link}" in mail.body
    assert "Scheduled date: Aug. 13, 2023" in mail.body
    assert "Options to improve security, written with Haiti." in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">Open the obligation</a>' in html
    delivery = one("email")
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 1, LEAD_14)


@pytest.mark.parametrize(
    ("language", "date", "html_lang"),
    [
        ("en", "Aug. 13, 2023", "en"),
        ("fr", "13 août 2023", "fr"),
        ("zh-hans", "2023年8月13日", "zh-hans"),
    ],
)
def test_alert_email_is_written_in_the_recipients_language(
    frozen_clock, report, analyst, mailoutbox, language, date, html_lang
):
    AlertPreference.objects.create(user=analyst, language=language)
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("email").pk])

    (mail,) = mailoutbox
    assert mail.extra_headers["Content-Language"] == language
    assert date in mail.body
    assert f'<html lang="{html_lang}">' in mail.alternatives[0][0]


def test_user_text_is_escaped_in_html_mail_and_kept_in_plain_text(frozen_clock, report, mailoutbox):
    obligation = report.schedule.obligation
    obligation.summary = "<b>Arms & ammunition</b>"
    obligation.save(update_fields=["summary"])
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("email").pk])

    (mail,) = mailoutbox
    assert "<b>Arms & ammunition</b>" in mail.body
    assert "&lt;b&gt;Arms &amp; ammunition&lt;/b&gt;" in mail.alternatives[0][0]
    assert "<b>Arms" not in mail.alternatives[0][0]


def test_digest_sends_one_mail_a_day_with_all_of_a_users_alerts(
    report, analyst, mailoutbox, broker, tick_and_publish
):
    AlertPreference.objects.create(user=analyst, digest=True)
    second = ScheduleFactory(
        obligation=report.schedule.obligation,
        kind=ScheduleKind.ON_DATE,
        on_date=dt.date(2023, 8, 13),
        label="Annex",
    )
    schedule_sync_deadlines(schedule=second, by=system_user())

    tick_and_publish(LEAD_14)
    tick_and_publish(new_york(2023, 7, 30, 9, 29))
    drain(broker)
    assert mailoutbox == []
    tick_and_publish(new_york(2023, 7, 30, 9, 30))
    drain(broker)

    (mail,) = mailoutbox
    assert mail.subject == "[Mandate Tracker] 2 deadline alerts"
    assert mail.body.count("Due in 14 days") == 2
    assert "Options report (30 days) #1" in mail.body and "Annex #1" in mail.body
    assert set(AlertDelivery.objects.filter(channel="digest").values_list("status", flat=True)) == {
        "sent"
    }


def test_smtp_failure_is_recorded_and_retried_with_backoff(
    frozen_clock, report, settings, mailoutbox, broker, tick_and_publish
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", CLOSED_PORT
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("email").pk])

    failed = one("email")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.last_error.startswith("ConnectionRefusedError")
    assert failed.next_attempt_at == LEAD_14 + dt.timedelta(minutes=1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tick_and_publish(LEAD_14 + dt.timedelta(seconds=59))
    assert queued_messages(broker) == []
    tick_and_publish(LEAD_14 + dt.timedelta(minutes=1))
    drain(broker)

    sent = one("email")
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, "")
    assert len(mailoutbox) == 1


def test_a_delivery_that_keeps_failing_is_given_up_and_stays_visible(
    frozen_clock, report, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", CLOSED_PORT
    tick_at(frozen_clock, LEAD_14)
    AlertDelivery.objects.filter(channel="email").update(attempts=7)

    channels.send([one("email").pk])

    failed = one("email")
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("failed", 8, None)
    assert "ConnectionRefusedError" in failed.last_error


def test_mail_for_a_deadline_delivered_before_sending_is_skipped(
    frozen_clock, report, analyst, mailoutbox
):
    tick_at(frozen_clock, new_york(2023, 8, 13, 9))
    deadline_deliver(deadline=report, circulated_on=dt.date(2023, 8, 13), by=analyst)

    channels.send(list(AlertDelivery.objects.filter(channel="email").values_list("pk", flat=True)))

    assert mailoutbox == []
    assert set(AlertDelivery.objects.filter(channel="email").values_list("status", flat=True)) == {
        "skipped"
    }


def test_mail_to_a_recipient_whose_address_or_account_is_gone_is_skipped(
    frozen_clock, report, analyst, mailoutbox
):
    tick_at(frozen_clock, LEAD_14)
    analyst.email = ""
    analyst.save(update_fields=["email"])

    channels.send([one("email").pk])

    skipped = one("email")
    assert mailoutbox == []
    assert (skipped.status, skipped.last_error) == (
        "skipped",
        "The recipient has no e-mail address.",
    )


def test_sending_twice_sends_once(frozen_clock, report, mailoutbox):
    tick_at(frozen_clock, LEAD_14)
    pk = one("email").pk

    channels.send([pk])
    channels.send([pk])

    assert len(mailoutbox) == 1


# Webhooks, against a real HTTP server on the loopback interface (the `receiver` fixture,
# reached by a host name the operator allows; test_webhooks.py has the refused ones).


@pytest.fixture
def hooked(report, manager, receiver):
    """The manager is the report's analyst and has a webhook to the receiver."""
    obligation = report.schedule.obligation
    obligation.assigned_analyst = manager
    obligation.save(update_fields=["assigned_analyst"])
    return webhook_create(owner=manager, url=receiver.url)


def test_webhook_post_is_signed_and_retried_after_a_failure(
    frozen_clock, report, hooked, receiver, broker, tick_and_publish
):
    receiver.script.append(500)

    tick_and_publish(LEAD_14)
    drain(broker)
    failed = one("webhook")
    tick_and_publish(LEAD_14 + dt.timedelta(minutes=1))
    drain(broker)

    assert (failed.status, failed.attempts, failed.last_error) == (
        "pending",
        1,
        "Could not deliver: the receiver answered HTTP 500.",
    )
    delivered = one("webhook")
    assert (delivered.status, delivered.attempts, delivered.last_error) == ("sent", 2, "")
    assert len(receiver.requests) == 2
    for request, sent_at in zip(
        receiver.requests, [LEAD_14, LEAD_14 + dt.timedelta(minutes=1)], strict=True
    ):
        assert request.headers["X-Mandate-Timestamp"] == str(int(sent_at.timestamp()))
        assert request.headers["X-Mandate-Delivery"] == str(delivered.pk)
        assert request.headers["Content-Type"] == "application/json"
        assert verify(hooked.secret, request.headers, request.body, now=sent_at.timestamp())
    payload = json.loads(receiver.requests[-1].body)
    assert payload["event"] == "deadline.alert"
    assert payload["alert"]["rule"] == "lead-14d"
    assert payload["alert"]["moment"] == "2023-07-30T13:00:00+00:00"
    assert payload["deadline"] == {
        "id": report.pk,
        "sequence": 1,
        "label": "Options report (30 days)",
        "scheduled_on": "2023-08-13",
        "state": "open",
    }
    assert payload["obligation"]["url"].endswith(
        f"/obligations/{report.schedule.obligation_id}/#deadline-{report.pk}"
    )


def test_an_inactive_webhook_is_not_called(frozen_clock, report, hooked, receiver):
    tick_at(frozen_clock, LEAD_14)
    hooked.active = False
    hooked.save(update_fields=["active"])

    channels.send([one("webhook").pk])

    assert receiver.requests == []
    assert (one("webhook").status, one("webhook").last_error) == (
        "skipped",
        "The webhook is inactive.",
    )


def test_webhook_redirect_is_refused_not_followed(frozen_clock, report, hooked, receiver):
    receiver.script.append(302)
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("webhook").pk])

    assert [r.path for r in receiver.requests] == ["/hook"]
    assert one("webhook").last_error == (
        "Could not deliver: the receiver answered HTTP 302; redirects are not followed."
    )


def test_webhook_timeout_is_a_recorded_failure(frozen_clock, report, hooked, receiver, settings):
    settings.ALERT_WEBHOOK_TIMEOUT = 0.2
    receiver.script.append("slow")
    tick_at(frozen_clock, LEAD_14)

    channels.send([one("webhook").pk])

    delivery = one("webhook")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error == "Could not deliver: the receiver timed out."


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example.org/alerts",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "127.0.0.1:8103/hook",
        "",
    ],
)
def test_only_http_and_https_webhooks_are_accepted(manager, url):
    with pytest.raises(ValidationError) as refused:
        webhook_create(owner=manager, url=url)

    assert refused.value.messages == ["Enter a valid http or https URL."]
    assert not Webhook.objects.exists()


def test_the_database_refuses_other_schemes_too(manager):
    with pytest.raises(IntegrityError):
        Webhook.objects.create(owner=manager, url="ftp://files.example.org/alerts")


def test_a_webhook_url_of_another_scheme_is_never_called(frozen_clock, report, hooked, receiver):
    tick_at(frozen_clock, LEAD_14)
    delivery = one("webhook")
    delivery.webhook.url = "file:///etc/passwd"  # as if the row had been edited behind our back

    with pytest.raises(channels.DeliveryError) as refused:
        channels.post_webhook(delivery)

    assert str(refused.value) == "Could not deliver: it is not a valid http or https URL."
    assert receiver.requests == []
