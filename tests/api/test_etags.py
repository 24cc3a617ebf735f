"""An ETag that cannot lie: it is a hash of the JSON sent, so every change of what a client
reads changes it, whichever row the change was made in, and If-Match compares the same
value, so a client that read an older representation can never overwrite.

Each case below once kept answering 304 with the old ETag (the ETag was made of the
obligation's own version and next deadline only)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from paragraphs.models import Actor
from paragraphs.services import api_token_create
from reports.enums import ScheduleKind
from reports.models import Schedule
from reports.services import schedule_sync_deadlines
from tests.factories import ActorFactory, ObligationFactory, ScheduleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligation(analyst, frozen_clock):
    # Not the token's user (`analyst`): one test deletes the assigned analyst.
    obligation = ObligationFactory(assigned_analyst=UserFactory(username="bob", role="analyst"))
    obligation.contributors.set([ActorFactory(code="unodc")])
    schedule = ScheduleFactory(obligation=obligation, kind=ScheduleKind.WITHIN_DAYS, within_days=90)
    schedule_sync_deadlines(schedule=schedule, by=analyst)
    return obligation


def _url(obligation) -> str:
    return f"/api/v1/obligations/{obligation.pk}/"


def _read(api, token, obligation):
    response = api.get(_url(obligation), token=token)
    assert response.status_code == 200
    return response["ETag"], response.json()


def _after(api, token, obligation, etag):
    """A conditional GET with an ETag read before a change."""
    return api.get(_url(obligation), token=token, headers={"If-None-Match": etag})


def _rename_owner(obligation):
    Actor.objects.filter(pk=obligation.owner_id).update(code="renamed-owner")


def _rename_contributor(obligation):
    actor = obligation.contributors.get()
    actor.code = "unodc-renamed"
    actor.save()


def _rename_analyst(obligation):
    analyst = obligation.assigned_analyst
    analyst.username = "bob-renamed"
    analyst.save()


def _delete_analyst(obligation):
    obligation.assigned_analyst.delete()


def _change_symbol(obligation):
    resolution = obligation.paragraph.resolution
    resolution.symbol = "S/RES/9999 (2023)"
    resolution.save()


def _renumber_paragraph(obligation):
    paragraph = obligation.paragraph
    paragraph.number = 77
    paragraph.save()


def _add_contributor(obligation):
    obligation.contributors.add(ActorFactory(code="binuh"))


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (_rename_owner, "owner", "renamed-owner"),
        (_rename_contributor, "contributors", ["unodc-renamed"]),
        (_add_contributor, "contributors", ["binuh", "unodc"]),
        (_rename_analyst, "assigned_analyst", "bob-renamed"),
        (_delete_analyst, "assigned_analyst", None),
        (_change_symbol, "resolution", "S/RES/9999 (2023)"),
        (_renumber_paragraph, "paragraph", 77),
    ],
)
def test_a_change_in_another_row_changes_the_etag(
    api, read_token, obligation, change, field, value
):
    etag, before = _read(api, read_token, obligation)
    obligation.refresh_from_db()

    change(obligation)
    after = _after(api, read_token, obligation, etag)

    assert after.status_code == 200
    assert after.json()[field] == value != before[field]
    assert after["ETag"] != etag
    assert _after(api, read_token, obligation, after["ETag"]).status_code == 304


def test_a_stale_if_match_is_refused_after_a_change_elsewhere(
    api, read_token, write_token, obligation
):
    etag, _body = _read(api, read_token, obligation)
    _rename_owner(obligation)

    response = api.patch(
        _url(obligation),
        {"note": "Based on what I read"},
        token=write_token,
        headers={"If-Match": etag},
    )

    assert response.status_code == 412
    obligation.refresh_from_db()
    assert (obligation.note, obligation.version) == ("", 1)


def test_a_row_in_a_list_carries_the_etag_of_its_detail(api, read_token, obligation):
    etag, detail = _read(api, read_token, obligation)

    (listed,) = api.get("/api/v1/obligations/", token=read_token).json()["results"]

    assert listed == detail
    assert listed["etag"] == etag


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_a_schedule_moved_to_another_obligation_in_the_admin_changes_both_etags(frozen_clock):
    analyst = UserFactory(username="ana", role="analyst")
    token = _token_for(analyst)
    api_client = Client()
    first = ObligationFactory()
    second = ObligationFactory()
    schedule = ScheduleFactory(obligation=first, kind=ScheduleKind.WITHIN_DAYS, within_days=90)
    schedule_sync_deadlines(schedule=schedule, by=analyst)
    headers = {"Authorization": f"Bearer {token}"}
    etags = {o.pk: api_client.get(_url(o), headers=headers)["ETag"] for o in (first, second)}
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password="x-Unguessable-1"))

    moved = admin.post(
        f"/admin/reports/schedule/{schedule.pk}/change/",
        {
            "obligation": second.pk,
            "kind": "within_days",
            "within_days": 90,
            "lead_days": "[14, 7, 1]",
            "overdue_every_days": 7,
            "tolerance_days": 0,
            "deadlines-TOTAL_FORMS": 0,
            "deadlines-INITIAL_FORMS": 0,
        },
    )

    assert moved.status_code == 302
    assert Schedule.objects.get().obligation == second
    for obligation, next_deadline in ((first, None), (second, "2023-10-12")):
        after = api_client.get(
            _url(obligation), headers={**headers, "If-None-Match": etags[obligation.pk]}
        )
        assert after.status_code == 200
        assert after.json()["next_deadline"] == next_deadline


def _token_for(user) -> str:
    _token, text = api_token_create(user=user, name="Test", read_only=True, by=user)
    return text
