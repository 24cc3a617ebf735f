"""The analyst workspace: role matrix, bad input, conflicts, escaping, query counts."""

import datetime as dt

import pytest
from django.test import Client

from paragraphs.enums import ObligationStatus
from paragraphs.services import evidence_add, obligation_update
from reports.models import Deadline
from reports.services import schedule_sync_deadlines
from tests.factories import ActorFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def options_report(frozen_clock, manager):
    """An options report due 13 August 2023 (a Sunday), still open on 1 September."""
    schedule = ScheduleFactory(within_days=30, obligation__summary="Options report")
    (deadline,) = schedule_sync_deadlines(schedule=schedule, by=manager)
    evidence_add(obligation=schedule.obligation, by=manager, document_symbol="S/2023/1")
    return deadline


def _snapshot(deadline: Deadline):
    """Everything a write could change."""
    deadline.refresh_from_db()
    obligation = deadline.schedule.obligation
    obligation.refresh_from_db()
    return (
        obligation.status,
        obligation.note,
        obligation.owner_id,
        obligation.assigned_analyst_id,
        obligation.version,
        obligation.evidence.count(),
        deadline.state,
        deadline.scheduled_on,
        deadline.version,
    )


def _actions(deadline: Deadline, analyst_id: int, other_owner_id: int):
    obligation = deadline.schedule.obligation
    evidence = obligation.evidence.get()
    d = deadline.pk
    return {
        "progress": (
            f"/obligations/{obligation.pk}/progress/",
            {"version": 1, "status": "in_progress", "note": "Drafting", "reason": ""},
        ),
        "assign": (
            f"/obligations/{obligation.pk}/assign/",
            {"version": 1, "owner": other_owner_id, "assigned_analyst": analyst_id, "reason": ""},
        ),
        "evidence": (f"/obligations/{obligation.pk}/evidence/", {"document_symbol": "S/2023/2"}),
        "evidence-remove": (f"/evidence/{evidence.pk}/remove/", {"reason": "Wrong document"}),
        "deliver": (
            f"/deadlines/{d}/deliver/",
            {f"deliver-{d}-version": 1, f"deliver-{d}-circulated_on": "2023-08-15"},
        ),
        "reschedule": (
            f"/deadlines/{d}/reschedule/",
            {
                f"reschedule-{d}-version": 1,
                f"reschedule-{d}-scheduled_on": "2023-09-05",
                f"reschedule-{d}-reason": "Programme of work",
            },
        ),
        "waive": (
            f"/deadlines/{d}/waive/",
            {f"waive-{d}-version": 1, f"waive-{d}-reason": "Superseded"},
        ),
    }


ALLOWED = {
    "anonymous": set(),
    "outsider": set(),
    "viewer": set(),
    "analyst": {"progress", "evidence", "evidence-remove", "deliver", "reschedule", "waive"},
    "manager": {
        "progress",
        "assign",
        "evidence",
        "evidence-remove",
        "deliver",
        "reschedule",
        "waive",
    },
}
ACTIONS = ["progress", "assign", "evidence", "evidence-remove", "deliver", "reschedule", "waive"]


def _client_for(role, request):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", ACTIONS)
def test_role_matrix_for_actions(request, options_report, analyst, role, action):
    client = _client_for(role, request)
    other_owner = ActorFactory(code="unodc", name_en="UNODC")
    path, data = _actions(options_report, analyst.pk, other_owner.pk)[action]
    before = _snapshot(options_report)

    response = client.post(path, data)

    if action in ALLOWED[role]:
        assert response.status_code == 302, response.content.decode()[:500]
        assert _snapshot(options_report) != before
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        assert _snapshot(options_report) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 403), ("viewer", 200), ("analyst", 200), ("manager", 200)],
)
def test_role_matrix_for_pages(request, options_report, role, expected):
    client = _client_for(role, request)
    obligation = options_report.schedule.obligation
    pages = [
        f"/resolutions/{obligation.paragraph.resolution_id}/",
        f"/obligations/{obligation.pk}/",
    ]

    assert [client.get(page).status_code for page in pages] == [expected, expected]


def test_viewer_sees_no_edit_controls(client, viewer, options_report):
    client.force_login(viewer)

    page = client.get(f"/obligations/{options_report.schedule.obligation_id}/").content.decode()

    assert "Record progress" not in page
    assert "Mark delivered" not in page
    assert '<form method="post" action="/obligations/' not in page


def test_analyst_sees_progress_and_deadline_actions_but_not_assignment(
    client, analyst, options_report
):
    client.force_login(analyst)

    page = client.get(f"/obligations/{options_report.schedule.obligation_id}/").content.decode()

    assert "Record progress" in page
    assert "Mark delivered" in page
    assert "Owner and analyst" not in page


def test_deliver_then_history_shows_who_and_what(client, analyst, options_report):
    client.force_login(analyst)
    d = options_report.pk

    response = client.post(
        f"/deadlines/{d}/deliver/",
        {
            f"deliver-{d}-version": 1,
            f"deliver-{d}-circulated_on": "2023-08-15",
            f"deliver-{d}-document_symbol": "S/2023/596",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Deadline updated." in page
    assert "S/2023/596" in page
    history = page.split('id="history"')[1]
    assert "ana-analyst" in history
    assert "Delivered late" in page  # Sunday 13 August + next working day = Monday 14th


@pytest.mark.parametrize(
    ("action", "fields", "error"),
    [
        ("deliver", {"circulated_on": "2023-09-02"}, "cannot be in the future"),
        ("deliver", {"circulated_on": "not a date"}, "Enter a valid date"),
        (
            "deliver",
            {"circulated_on": "2023-08-15", "document_symbol": "<b>x</b>"},
            "not a UN document symbol",
        ),
        ("reschedule", {"scheduled_on": "2023-13-45", "reason": "x"}, "Enter a valid date"),
        ("reschedule", {"scheduled_on": "2023-09-05", "reason": ""}, "This field is required"),
        ("waive", {"reason": "   "}, "This field is required"),
    ],
)
def test_bad_deadline_input_is_a_form_error_and_saves_nothing(
    client, analyst, options_report, action, fields, error
):
    client.force_login(analyst)
    d = options_report.pk
    before = _snapshot(options_report)
    data = {f"{action}-{d}-version": 1} | {f"{action}-{d}-{k}": v for k, v in fields.items()}

    response = client.post(f"/deadlines/{d}/{action}/", data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert _snapshot(options_report) == before


@pytest.mark.parametrize(
    ("status", "error"),
    [("overdue", "Select a valid choice"), ("not_started", "Select a valid choice")],
)
def test_unknown_or_disallowed_status_is_refused(client, analyst, options_report, status, error):
    obligation = options_report.schedule.obligation
    obligation_update(obligation=obligation, by=analyst, status=ObligationStatus.IN_PROGRESS)
    client.force_login(analyst)
    before = _snapshot(options_report)

    response = client.post(
        f"/obligations/{obligation.pk}/progress/", {"version": 2, "status": status, "note": ""}
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert _snapshot(options_report) == before


def test_unknown_deadline_action_is_404(client, analyst, options_report):
    client.force_login(analyst)

    response = client.post(f"/deadlines/{options_report.pk}/delete/", {})

    assert response.status_code == 404


def test_note_with_script_is_shown_as_text(client, analyst, options_report):
    client.force_login(analyst)
    obligation = options_report.schedule.obligation

    client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 1, "status": "in_progress", "note": "<script>alert('x')</script>"},
    )
    page = client.get(f"/obligations/{obligation.pk}/").content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_second_save_on_a_stale_version_is_refused_and_keeps_the_input(
    client, analyst, manager, options_report
):
    obligation = options_report.schedule.obligation
    manager_client = Client()
    manager_client.force_login(manager)
    client.force_login(analyst)
    manager_client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 1, "status": "in_progress", "note": "Manager: SG draft received"},
    )

    response = client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 1, "status": "in_progress", "note": "Analyst: waiting for UNODC"},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this after you opened it" in page
    assert "Manager: SG draft received" in page.split('class="conflict"')[1].split("</section>")[0]
    assert "Analyst: waiting for UNODC</textarea>" in page
    assert 'name="version" value="2"' in page
    obligation.refresh_from_db()
    assert obligation.note == "Manager: SG draft received"


def test_save_again_after_a_conflict_goes_through(client, analyst, manager, options_report):
    obligation = options_report.schedule.obligation
    obligation_update(obligation=obligation, by=manager, note="Manager's note")
    client.force_login(analyst)

    response = client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 2, "status": "not_started", "note": "Analyst's note after review"},
    )

    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.note == "Analyst's note after review"


def test_csrf_is_enforced_on_writes(analyst, options_report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    obligation = options_report.schedule.obligation

    response = client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 1, "status": "in_progress", "note": "forged"},
    )

    assert response.status_code == 403
    obligation.refresh_from_db()
    assert obligation.note == ""


def test_filters_narrow_paragraphs_and_obligations(client, viewer, res2692):
    client.force_login(viewer)
    url = f"/resolutions/{res2692.pk}/"

    by_owner = client.get(url, {"owner": "unodc"}).content.decode()
    by_search_zh = client.get(url, {"q": "毒品和犯罪问题办公室"}).content.decode()
    by_search_en = client.get(url, {"q": "options"}).content.decode()
    by_verb = client.get(url, {"verb": "demands"}).content.decode()

    # Paragraph 9's quarterly reports; paragraph 13 only states an importance (no obligation).
    assert by_owner.count('class="obligation"') == 1
    assert 'id="op9"' in by_owner and 'id="op13"' not in by_owner and 'id="op1"' not in by_owner
    assert (
        'id="op9"' in by_search_zh
        and 'id="op13"' in by_search_zh
        and 'id="op2"' not in by_search_zh
    )
    assert 'id="op18"' in by_search_en and 'id="op1"' not in by_search_en
    assert by_verb.count('class="paragraph"') == 1 and 'id="op7"' in by_verb


def test_bad_filter_value_is_a_form_error(client, viewer, res2692):
    client.force_login(viewer)

    response = client.get(f"/resolutions/{res2692.pk}/", {"status": "overdue", "owner": "nobody"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_obligation_page_query_count_is_constant(
    client, viewer, django_assert_num_queries, frozen_clock
):
    def build(deadlines: int, evidence: int):
        schedule = ScheduleFactory(
            kind="recurring", every_days=max(1, 360 // deadlines), within_days=None
        )
        schedule.until = dt.date(2023, 7, 14) + dt.timedelta(days=360)
        schedule.save()
        schedule_sync_deadlines(schedule=schedule, by=viewer)
        for n in range(evidence):
            evidence_add(
                obligation=schedule.obligation, by=viewer, document_symbol=f"S/2023/{n + 1}"
            )
        return schedule.obligation

    small, large = build(1, 1), build(24, 12)
    client.force_login(viewer)
    client.get(f"/obligations/{small.pk}/")

    # session, user, user and group permissions, the access check, the obligation
    # (+paragraph, resolution, mandate, owner, analyst, carried forward to), contributors,
    # what it was carried forward from, the paragraph's texts, evidence (+added_by),
    # schedules, deadlines, the deadlines on their cycle (for "delivered with it"), history
    # of the obligation, evidence, schedules, deadlines, the header's unread count
    for obligation in (small, large):
        with django_assert_num_queries(18):
            assert client.get(f"/obligations/{obligation.pk}/").status_code == 200
