"""Admin edits move alert cursors through the one owner of derived deadline state."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from reports.alerts.models import Webhook
from tests.reports.alerts.conftest import new_york, open_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", None)
    client.force_login(admin)
    return client


@pytest.fixture
def report(frozen_clock):
    frozen_clock.move_to(new_york(2023, 7, 14, 12))
    return open_deadline(dt.date(2023, 8, 13))


def test_moving_a_deadline_in_the_admin_moves_its_alerts(staff_client, report):
    response = staff_client.post(
        f"/admin/reports/deadline/{report.pk}/change/",
        {
            "schedule": report.schedule_id,
            "sequence": 1,
            "due_on": "2023-08-13",
            "scheduled_on": "2023-09-13",
            "scheduled_reason": "Programme of work",
            "state": "open",
            "change_note": "Moved by the Council",
            "opened_version": report.version,
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.next_alert_at == new_york(2023, 8, 30, 9)  # lead-14d of 13 September


def test_changing_lead_days_in_the_admin_moves_the_cursors(staff_client, report):
    schedule = report.schedule
    response = staff_client.post(
        f"/admin/reports/schedule/{schedule.pk}/change/",
        {
            "obligation": schedule.obligation_id,
            "kind": "on_date",
            "on_date": "2023-08-13",
            "lead_days": "[30, 3]",
            "overdue_every_days": 7,
            "tolerance_days": 0,
            "change_note": "Earlier warning",
            "deadlines-TOTAL_FORMS": 1,
            "deadlines-INITIAL_FORMS": 1,
            "deadlines-0-id": report.pk,
            "deadlines-0-schedule": schedule.pk,
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    schedule.refresh_from_db()
    assert schedule.lead_days == [30, 3]
    assert report.next_alert_at == new_york(2023, 8, 10, 9)  # 30 days before had passed


def test_bad_lead_days_are_a_form_error(staff_client, report):
    schedule = report.schedule
    response = staff_client.post(
        f"/admin/reports/schedule/{schedule.pk}/change/",
        {
            "obligation": schedule.obligation_id,
            "kind": "on_date",
            "on_date": "2023-08-13",
            "lead_days": "[0, 500]",
            "overdue_every_days": 0,
            "tolerance_days": 0,
            "deadlines-TOTAL_FORMS": 1,
            "deadlines-INITIAL_FORMS": 1,
            "deadlines-0-id": report.pk,
            "deadlines-0-schedule": schedule.pk,
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"lead_days", "overdue_every_days"}
    schedule.refresh_from_db()
    assert schedule.lead_days == [14, 7, 1]


def test_webhooks_cannot_be_added_or_pointed_elsewhere_in_the_admin(staff_client, manager):
    """The admin would save any URL; the subscriptions page checks that it is public."""
    webhook = Webhook.objects.create(owner=manager, url="https://hooks.example.org/in")

    added = staff_client.get("/admin/reports/webhook/add/")
    changed = staff_client.post(
        f"/admin/reports/webhook/{webhook.pk}/change/",
        {"url": "http://169.254.169.254/latest/meta-data/", "active": ""},
    )

    assert added.status_code == 403
    assert changed.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.url, webhook.active) == ("https://hooks.example.org/in", False)
