import datetime as dt

import pytest
from django.test import Client

from paragraphs.roles import MANAGER, set_role
from reports.enums import ScheduleKind
from reports.models import Deadline
from reports.services import schedule_sync_deadlines
from tests.factories import ScheduleFactory

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
