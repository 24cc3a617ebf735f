import pytest
from django.contrib.auth import get_user_model

from paragraphs.enums import ObligationStatus
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root-admin", password="pw-Unguessable-1")
    client.force_login(admin)
    client.admin = admin
    return client


def _change_form(obligation, **overrides):
    data = {
        "paragraph": obligation.paragraph_id,
        "key": obligation.key,
        "summary": obligation.summary,
        "owner": obligation.owner_id,
        "kind": obligation.kind,
        "status": obligation.status,
        "note": obligation.note,
        "assigned_analyst": "",
        "change_note": "",
        "opened_version": obligation.version,
    }
    return data | overrides


def test_admin_edit_is_recorded_with_the_admin_and_the_note(admin_client):
    obligation = ObligationFactory()

    response = admin_client.post(
        f"/admin/paragraphs/obligation/{obligation.pk}/change/",
        _change_form(obligation, status="in_progress", change_note="Started in the admin"),
    )

    assert response.status_code == 302
    record = obligation.history.latest()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "in_progress",
        admin_client.admin,
        "Started in the admin",
    )


def test_admin_edit_refuses_a_transition_that_is_not_allowed(admin_client):
    obligation = ObligationFactory(status=ObligationStatus.COMPLETED)
    before = obligation.history.count()

    response = admin_client.post(
        f"/admin/paragraphs/obligation/{obligation.pk}/change/",
        _change_form(obligation, status="not_started"),
    )

    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.COMPLETED
    assert obligation.history.count() == before


def test_admin_bulk_action_goes_through_the_service_and_is_recorded(admin_client):
    first, second = ObligationFactory(), ObligationFactory(status=ObligationStatus.COMPLETED)

    response = admin_client.post(
        "/admin/paragraphs/obligation/",
        {"action": "mark_not_applicable", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ObligationStatus.NOT_APPLICABLE
    assert second.status == ObligationStatus.COMPLETED  # completed → not applicable is refused
    assert first.history.latest().history_user == admin_client.admin
    assert "cannot go from" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/paragraphs/resolution/",
        "/admin/paragraphs/paragraph/",
        "/admin/paragraphs/actor/",
        "/admin/paragraphs/obligation/",
        "/admin/reports/schedule/",
        "/admin/reports/deadline/",
    ],
)
def test_admin_lists_every_model_with_search(admin_client, res2692, path):
    response = admin_client.get(path, {"q": "2692"})

    assert response.status_code == 200


def test_admin_deadline_change_page_shows_history(admin_client, res2692):
    from reports.models import Deadline

    deadline = Deadline.objects.get(schedule__obligation__key="2692-op1-sg-reports", sequence=2)

    response = admin_client.get(f"/admin/reports/deadline/{deadline.pk}/history/")

    assert response.status_code == 200
    assert "S/2024/62" in response.content.decode()
