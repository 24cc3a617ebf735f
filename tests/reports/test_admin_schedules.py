import datetime as dt

import pytest
from django.test import Client

from paragraphs.roles import MANAGER, set_role
from reports.enums import ScheduleKind
from reports.models import Deadline, DeadlineSummary
from reports.services import schedule_sync_deadlines
from tests.factories import ScheduleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly(manager):
    schedule = ScheduleFactory(
        kind=ScheduleKind.RECURRING,
        within_days=None,
        every_months=3,
        anchor_on=dt.date(2023, 7, 15),
    )
    schedule_sync_deadlines(schedule=schedule, by=manager)
    return schedule


def _form(schedule, **changes):
    data = {
        "obligation": schedule.obligation_id,
        "kind": schedule.kind,
        "label": "Quarterly report",
        "on_date": "",
        "within_days": "",
        "anchor_on": schedule.anchor_on.isoformat(),
        "every_days": "",
        "every_months": schedule.every_months,
        "until": "",
        "aligned_to": "",
        "rationale": "",
        "lead_days": "[14, 7, 1]",
        "overdue_every_days": "7",
        "tolerance_days": "0",
        "change_note": "",
        "deadlines-TOTAL_FORMS": "0",
        "deadlines-INITIAL_FORMS": "0",
    }
    return data | changes


def test_manager_changes_a_schedule_in_the_admin_and_deadlines_follow(quarterly, manager):
    set_role(manager, MANAGER)
    client = Client()
    client.force_login(manager)

    response = client.post(
        f"/admin/reports/schedule/{quarterly.pk}/change/",
        _form(
            quarterly,
            every_months="",
            every_days="90",
            anchor_on="2023-07-14",
            change_note="Strict 90 days, as the text says",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    dates = list(
        Deadline.objects.filter(schedule=quarterly)
        .order_by("sequence")
        .values_list("due_on", flat=True)
    )
    assert dates == [
        dt.date(2023, 10, 12),
        dt.date(2024, 1, 10),
        dt.date(2024, 4, 9),
        dt.date(2024, 7, 8),
    ]
    record = Deadline.history.filter(schedule_id=quarterly.pk).latest()
    assert (record.history_user, record.history_change_reason) == (
        manager,
        "Strict 90 days, as the text says",
    )


def test_analysts_cannot_enter_the_admin(quarterly, analyst):
    client = Client()
    client.force_login(analyst)

    response = client.post(
        f"/admin/reports/schedule/{quarterly.pk}/change/", _form(quarterly, every_months="1")
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    quarterly.refresh_from_db()
    assert quarterly.every_months == 3


def test_set_role_gives_only_managers_the_admin(analyst):
    set_role(analyst, MANAGER)
    assert analyst.is_staff

    set_role(analyst, "viewer")
    assert not analyst.is_staff


@pytest.fixture
def admin_client(manager):
    set_role(manager, MANAGER)
    client = Client()
    client.force_login(manager)
    return client


def _deadline_form(deadline, **changes):
    data = {
        "schedule": deadline.schedule_id,
        "sequence": deadline.sequence,
        "due_on": deadline.due_on.isoformat(),
        "scheduled_on": deadline.scheduled_on.isoformat(),
        "scheduled_reason": "",
        "state": deadline.state,
        "dated_on": "",
        "circulated_on": "",
        "delivered_by": "",
        "delivery_evidence": "",
        "document_symbol": "",
        "waived_reason": "",
        "change_note": "Corrected by hand",
        "opened_version": deadline.version,
    }
    return data | changes


def test_a_deadline_edited_in_the_admin_is_counted_in_its_summary(
    frozen_clock, quarterly, manager, admin_client
):
    first = Deadline.objects.get(schedule=quarterly, sequence=1)
    frozen_clock.move_to(dt.datetime(2023, 11, 1, 12, tzinfo=dt.UTC))
    admin_client.force_login(manager)  # the session of two months ago has expired

    response = admin_client.post(
        f"/admin/reports/deadline/{first.pk}/change/",
        _deadline_form(first, state="delivered", circulated_on="2023-10-20"),
    )

    assert response["Location"] == "/admin/reports/deadline/", response.content.decode()[:2000]
    summary = DeadlineSummary.objects.get(obligation=quarterly.obligation)
    assert (summary.open, summary.delivered_late, summary.next_deadline) == (
        3,
        1,
        dt.date(2024, 1, 15),
    )


def test_a_deadline_moved_to_another_schedule_in_the_admin_recounts_both(
    quarterly, manager, admin_client
):
    other = ScheduleFactory(kind=ScheduleKind.WITHIN_DAYS, within_days=30)
    schedule_sync_deadlines(schedule=other, by=manager)
    last = Deadline.objects.get(schedule=quarterly, sequence=4)

    response = admin_client.post(
        f"/admin/reports/deadline/{last.pk}/change/",
        _deadline_form(last, schedule=other.pk, sequence=2),
    )

    assert response["Location"] == "/admin/reports/deadline/", response.content.decode()[:2000]
    summaries = DeadlineSummary.objects.in_bulk([quarterly.obligation_id, other.obligation_id])
    assert summaries[quarterly.obligation_id].deadlines == 3
    assert summaries[other.obligation_id].deadlines == 2


def test_deleting_deadlines_and_schedules_in_the_admin_recounts_the_summary(quarterly):
    # Only a superuser may delete deadlines (managers waive them instead).
    admin_client = Client()
    admin_client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    first = Deadline.objects.get(schedule=quarterly, sequence=1)
    deleted = admin_client.post(f"/admin/reports/deadline/{first.pk}/delete/", {"post": "yes"})
    assert deleted["Location"] == "/admin/reports/deadline/"
    assert DeadlineSummary.objects.get(obligation=quarterly.obligation).deadlines == 3

    bulk = admin_client.post(
        "/admin/reports/schedule/",
        {"action": "delete_selected", "_selected_action": [quarterly.pk], "post": "yes"},
    )

    assert bulk["Location"] == "/admin/reports/schedule/"
    assert not Deadline.objects.filter(schedule_id=quarterly.pk).exists()
    summary = DeadlineSummary.objects.get(obligation=quarterly.obligation)
    assert (summary.deadlines, summary.next_deadline) == (0, None)
