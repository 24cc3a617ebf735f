import datetime as dt

import pytest

from api.conditional import row_etag
from paragraphs.enums import ObligationStatus
from reports.enums import DeadlineState

pytestmark = pytest.mark.django_db
LIST = "/api/v1/deadlines/"


def detail(deadline) -> str:
    return f"{LIST}{deadline.pk}/"


def _etag(api, token, deadline) -> str:
    return api.get(detail(deadline), token=token)["ETag"]


def test_deadline_carries_the_documented_fields(api, read_token, options_report):
    response = api.get(detail(options_report), token=read_token)
    body = response.json()

    assert response.status_code == 200
    assert body == {
        "id": options_report.pk,
        "obligation": options_report.schedule.obligation_id,
        "schedule": options_report.schedule_id,
        "sequence": 1,
        "due_on": "2023-08-13",
        "scheduled_on": "2023-08-13",
        "scheduled_reason": "",
        "status": "open",
        "timing": "overdue",
        "delivered_on": None,
        "dated_on": None,
        "circulated_on": None,
        "delivered_by": None,
        "delivery_evidence": "",
        "document_symbol": "",
        "waived_reason": "",
        "tolerance_days": 0,
        "period_ends_on": "2024-07-15",
        "version": 1,
        "updated_at": "2023-09-01T14:00:00Z",
        "url": f"http://testserver{detail(options_report)}",
        "history": f"http://testserver{detail(options_report)}history/",
        "etag": row_etag({k: v for k, v in body.items() if k != "etag"}),
    }
    assert response["ETag"] == body["etag"]


def test_conditional_get(api, read_token, options_report):
    etag = _etag(api, read_token, options_report)

    response = api.get(detail(options_report), token=read_token, headers={"If-None-Match": etag})

    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"status": "open"},
            ["2023-08-13", "2023-10-15", "2024-01-15", "2024-04-15", "2024-07-15"],
        ),
        ({"status": "delivered"}, []),
        ({"overdue": "true"}, ["2023-08-13"]),
        ({"overdue": "false"}, ["2023-10-15", "2024-01-15", "2024-04-15", "2024-07-15"]),
        ({"due_after": "2024-01-15", "due_before": "2024-04-15"}, ["2024-01-15", "2024-04-15"]),
        ({"ordering": "-scheduled_on", "page_size": "2"}, ["2024-07-15", "2024-04-15"]),
    ],
)
def test_filters(api, read_token, options_report, quarterly_report, params, expected):
    response = api.get(LIST, token=read_token, **{"ordering": "scheduled_on", **params})

    assert response.status_code == 200, response.content
    assert [row["scheduled_on"] for row in response.json()["results"]] == expected


def test_filter_by_obligation_schedule_and_resolution(
    api, read_token, options_report, quarterly_report
):
    quarterly = quarterly_report[0].schedule

    def ids(**params):
        return sorted(
            row["id"] for row in api.get(LIST, token=read_token, **params).json()["results"]
        )

    assert ids(obligation=quarterly.obligation_id) == sorted(d.pk for d in quarterly_report)
    assert ids(schedule=options_report.schedule_id) == [options_report.pk]
    resolution = options_report.schedule.obligation.paragraph.resolution_id
    assert ids(resolution=resolution) == [options_report.pk]


@pytest.mark.parametrize(
    "params",
    [{"status": "late"}, {"obligation": "x"}, {"overdue": "1"}, {"due_before": "soon"}, {"q": "x"}],
)
def test_bad_filters_are_a_400(api, read_token, options_report, params):
    response = api.get(LIST, token=read_token, **params)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == list(params)


def test_deliver_records_it_and_moves_the_obligation_as_the_browser_does(
    api, write_token, options_report, analyst
):
    response = api.post(
        f"{detail(options_report)}deliver/",
        {"circulated_on": "2023-08-15", "document_symbol": "S/2023/596", "note": "Circulated"},
        token=write_token,
        headers={"If-Match": _etag(api, write_token, options_report)},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["timing"], body["delivered_on"]) == (
        "delivered",
        "late",
        "2023-08-15",
    )
    assert (body["document_symbol"], body["version"]) == ("S/2023/596", 2)
    assert response["ETag"] == body["etag"]
    obligation = options_report.schedule.obligation
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.COMPLETED
    record = options_report.history.latest()
    assert (record.history_user, record.history_change_reason) == (analyst, "Circulated")
    history = api.get(f"{detail(options_report)}history/", token=write_token).json()
    assert [entry["action"] for entry in history] == ["changed", "created"]
    assert history[0]["changes"] == [
        {"field": "state", "label": "state", "old": "Open", "new": "Delivered"},
        {"field": "circulated_on", "label": "circulated on", "old": None, "new": "2023-08-15"},
        {"field": "document_symbol", "label": "document symbol", "old": "", "new": "S/2023/596"},
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"circulated_on": "2023-09-02"},
            {"circulated_on": ["The delivery date cannot be in the future."]},
        ),
        (
            {"delivered_on": "2023-08-15", "document_symbol": "report 12"},
            {"document_symbol": ["“report 12” is not a UN document symbol such as S/2024/62."]},
        ),
        (
            {},
            {
                "non_field_errors": [
                    "Say when it was delivered (the day it was circulated or the date it bears) "
                    "or, if that is not confirmed, a day by which it existed or how it is known."
                ]
            },
        ),
        (
            {"delivered_on": "15 August"},
            {
                "delivered_on": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {"delivered_on": 20230815},
            {
                "delivered_on": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            {"delivered_on": "2023-08-15", "document_symbol": 596},
            {"document_symbol": ["Not a valid string."]},
        ),
        ({"delivered_on": "2023-08-15", "by": "someone"}, {"by": ["Unknown field."]}),
    ],
)
def test_deliver_refuses_bad_input_and_changes_nothing(
    api, write_token, options_report, body, fields
):
    response = api.post(
        f"{detail(options_report)}deliver/",
        body,
        token=write_token,
        headers={"If-Match": _etag(api, write_token, options_report)},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == fields
    options_report.refresh_from_db()
    assert (options_report.state, options_report.version) == (DeadlineState.OPEN, 1)


def test_reschedule_and_waive(api, write_token, quarterly_report, frozen_clock):
    first, second, *_ = quarterly_report

    moved = api.post(
        f"{detail(first)}reschedule/",
        {"scheduled_on": "2023-10-20", "reason": "Programme of work"},
        token=write_token,
        headers={"If-Match": _etag(api, write_token, first)},
    )
    waived = api.post(
        f"{detail(second)}waive/",
        {"reason": "Merged into the next report"},
        token=write_token,
        headers={"If-Match": _etag(api, write_token, second)},
    )

    assert moved.status_code == 200, moved.content
    assert (moved.json()["due_on"], moved.json()["scheduled_on"]) == ("2023-10-15", "2023-10-20")
    assert moved.json()["scheduled_reason"] == "Programme of work"
    assert waived.status_code == 200, waived.content
    assert (waived.json()["status"], waived.json()["timing"]) == ("waived", "waived")
    obligation = api.get(
        f"/api/v1/obligations/{first.schedule.obligation_id}/", token=write_token
    ).json()
    assert obligation["next_deadline"] == "2023-10-20"


@pytest.mark.parametrize(
    ("action", "body", "fields"),
    [
        (
            "reschedule",
            {"scheduled_on": "2023-10-15", "reason": "Same"},
            {"scheduled_on": ["This is already the scheduled date."]},
        ),
        (
            "reschedule",
            {"scheduled_on": "2023-10-20", "reason": "   "},
            {"reason": ["Give a reason: it is kept in the history."]},
        ),
        ("reschedule", {"scheduled_on": "2023-10-20"}, {"reason": ["This field is required."]}),
        ("waive", {"reason": ""}, {"reason": ["Give a reason: it is kept in the history."]}),
        ("waive", {"reason": ["a", "list"]}, {"reason": ["Not a valid string."]}),
    ],
)
def test_reschedule_and_waive_refuse_bad_input(
    api, write_token, quarterly_report, action, body, fields
):
    first = quarterly_report[0]

    response = api.post(
        f"{detail(first)}{action}/",
        body,
        token=write_token,
        headers={"If-Match": _etag(api, write_token, first)},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == fields
    first.refresh_from_db()
    assert first.version == 1


def test_an_action_on_a_settled_deadline_is_a_409(api, write_token, options_report):
    delivered = api.post(
        f"{detail(options_report)}deliver/",
        {"delivered_on": "2023-08-15"},
        token=write_token,
        headers={"If-Match": _etag(api, write_token, options_report)},
    )

    again = api.post(
        f"{detail(options_report)}waive/",
        {"reason": "Too late"},
        token=write_token,
        headers={"If-Match": delivered["ETag"]},
    )

    assert again.status_code == 409
    assert again.json() == {
        "status": 409,
        "code": "conflict",
        "message": "This deadline is already delivered; reopen it before changing it.",
        "fields": {},
    }


def test_etag_follows_the_timing_as_days_pass(api, read_token, quarterly_report, frozen_clock):
    first = quarterly_report[0]
    before = _etag(api, read_token, first)

    frozen_clock.move_to(dt.datetime(2023, 10, 16, 16, tzinfo=dt.UTC))  # Monday after Sunday
    due = api.get(detail(first), token=read_token, headers={"If-None-Match": before})

    assert (due.status_code, due.json()["timing"]) == (200, "due")
    assert due["ETag"] != before
