import base64
import datetime as dt
import json
import re

import pytest

from api.conditional import row_etag
from paragraphs.enums import ObligationStatus
from paragraphs.models import Obligation
from tests.factories import ActorFactory, ObligationFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/obligations/"


def detail(obligation) -> str:
    return f"{LIST}{obligation.pk}/"


def test_list_carries_the_documented_fields(api, read_token, options_report, frozen_clock):
    obligation = options_report.schedule.obligation
    obligation.contributors.set([ActorFactory(code="binuh"), ActorFactory(code="unodc")])
    obligation.refresh_from_db()

    response = api.get(LIST, token=read_token)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    etag = row.pop("etag")
    assert etag == row_etag(row)  # the hash of everything else the row shows
    assert response.json() | {"results": [row]} == {
        "next": None,
        "results": [
            {
                "id": obligation.pk,
                "key": "options-report",
                "resolution": obligation.paragraph.resolution.symbol,
                "resolution_id": obligation.paragraph.resolution_id,
                "paragraph": obligation.paragraph.number,
                "summary": "Options report",
                "owner": obligation.owner.code,
                "contributors": ["binuh", "unodc"],
                "kind": "report",
                "status": "not_started",
                "note": "",
                "assigned_analyst": None,
                "next_deadline": "2023-08-13",
                "overdue": True,
                "period_ends_on": "2024-07-15",
                "to_reconcile": False,
                "version": 1,
                "updated_at": "2023-09-01T14:00:00Z",
                "url": f"http://testserver{detail(obligation)}",
                "history": f"http://testserver{detail(obligation)}history/",
            }
        ],
    }


def test_real_data_next_deadlines(api, read_token, res2692, frozen_clock):
    rows = {
        row["key"]: row for row in api.get(LIST, token=read_token, page_size=50).json()["results"]
    }

    # Live data read on 1 September 2023: every report of the Secretary-General and the
    # options report are recorded as delivered, the renewal was made by 2743 (2024); only
    # UNODC's fourth report, never found, is still open (15 July 2024).
    assert rows["2692-op1-sg-reports"]["next_deadline"] is None
    assert rows["2692-op1-sg-reports"]["overdue"] is False
    assert rows["2692-op18-options-report"]["next_deadline"] is None
    assert rows["2692-op1-renewal"]["next_deadline"] is None
    assert rows["2692-op9-unodc-reports"]["next_deadline"] == "2024-07-15"
    assert rows["2692-op9-unodc-reports"]["to_reconcile"] is False
    assert rows["2692-op1-sg-reports"]["contributors"] == ["binuh"]
    assert len(rows) == 24


def test_after_the_period_nothing_is_overdue_and_one_obligation_is_to_reconcile(
    api, read_token, res2692, frozen_clock
):
    frozen_clock.move_to(dt.datetime(2024, 8, 1, 14, tzinfo=dt.UTC))

    overdue = api.get(LIST, token=read_token, overdue="true").json()["results"]
    ended = api.get(LIST, token=read_token, to_reconcile="true").json()["results"]
    deadlines = api.get("/api/v1/deadlines/", token=read_token, to_reconcile="true").json()

    assert overdue == []
    assert [row["key"] for row in ended] == ["2692-op9-unodc-reports"]
    assert ended[0]["to_reconcile"] is True and ended[0]["period_ends_on"] == "2024-07-15"
    (deadline,) = deadlines["results"]
    assert (deadline["sequence"], deadline["timing"]) == (4, "to_reconcile")


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        # 15 October 2023 is a Sunday: still on time on Monday, overdue on Tuesday.
        (dt.datetime(2023, 10, 16, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-4))), False),
        (dt.datetime(2023, 10, 17, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))), True),
    ],
)
def test_overdue_follows_the_weekend_rule_in_new_york(
    api, read_token, quarterly_report, frozen_clock, moment, overdue
):
    frozen_clock.move_to(moment)

    (row,) = api.get(LIST, token=read_token).json()["results"]

    assert (row["next_deadline"], row["overdue"]) == ("2023-10-15", overdue)


@pytest.fixture
def portfolio(db, options_report, quarterly_report, analyst):
    """Four obligations that differ in every filtered attribute."""
    options = options_report.schedule.obligation  # next deadline 13 Aug 2023, overdue
    quarterly = quarterly_report[0].schedule.obligation  # next deadline 15 Oct 2023
    quarterly.paragraph.resolution = options.paragraph.resolution
    quarterly.paragraph.save()
    Obligation.objects.filter(pk=quarterly.pk).update(
        status=ObligationStatus.IN_PROGRESS, note="Drafting with BINUH", assigned_analyst=analyst
    )
    done = ObligationFactory(
        key="done", kind="action", status=ObligationStatus.COMPLETED, owner=options.owner
    )
    standing = ObligationFactory(key="standing", kind="standing", summary="Keep the peace")
    return {"options": options, "quarterly": quarterly, "done": done, "standing": standing}


def _keys(response):
    assert response.status_code == 200, response.content
    return sorted(row["key"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "not_started"}, ["options-report", "standing"]),
        ({"status": ["in_progress", "completed"]}, ["done", "quarterly-report"]),
        ({"kind": "report"}, ["options-report", "quarterly-report"]),
        ({"overdue": "true"}, ["options-report"]),
        ({"overdue": "false"}, ["done", "quarterly-report", "standing"]),
        ({"due_before": "2023-09-30"}, ["options-report"]),
        ({"due_after": "2023-08-14"}, ["quarterly-report"]),
        (
            {"due_after": "2023-08-13", "due_before": "2023-10-15"},
            ["options-report", "quarterly-report"],
        ),
        ({"search": "drafting"}, ["quarterly-report"]),
        ({"search": "PEACE"}, ["standing"]),
        ({"assigned_analyst": "ana-analyst"}, ["quarterly-report"]),
        ({"assigned_analyst": "nobody"}, []),
        ({"owner": "nobody"}, []),
        ({"paragraph": "999"}, []),
    ],
)
def test_filters(api, read_token, portfolio, frozen_clock, params, expected):
    assert _keys(api.get(LIST, token=read_token, **params)) == expected


def test_filters_by_resolution_owner_and_paragraph(api, read_token, portfolio, frozen_clock):
    options = portfolio["options"]

    by_resolution = api.get(LIST, token=read_token, resolution=options.paragraph.resolution_id)
    by_owner = api.get(LIST, token=read_token, owner=options.owner.code)
    by_paragraph = api.get(
        LIST,
        token=read_token,
        resolution=options.paragraph.resolution_id,
        paragraph=options.paragraph.number,
    )

    assert _keys(by_resolution) == ["options-report", "quarterly-report"]
    assert _keys(by_owner) == ["done", "options-report"]
    assert _keys(by_paragraph) == ["options-report"]


def test_updated_since_returns_what_changed_for_incremental_sync(
    api, read_token, write_token, portfolio, frozen_clock
):
    standing = portfolio["standing"]
    etag = api.get(detail(standing), token=read_token)["ETag"]
    frozen_clock.move_to(dt.datetime(2023, 9, 2, 9, 0, tzinfo=dt.UTC))
    api.patch(detail(standing), {"note": "Checked"}, token=write_token, headers={"If-Match": etag})

    since = api.get(LIST, token=read_token, updated_since="2023-09-02T09:00:00Z")
    since_ny = api.get(LIST, token=read_token, updated_since="2023-09-02T05:00:01-04:00")

    assert _keys(since) == ["standing"]
    assert _keys(since_ny) == []


@pytest.mark.parametrize(
    "ordering", ["id", "-id", "updated_at", "-updated_at", "next_deadline", "-next_deadline"]
)
def test_cursor_pages_walk_every_row_once_in_order(
    api, read_token, portfolio, frozen_clock, ordering
):
    for n in range(5):  # same updated_at and no deadline: ties broken by id
        ObligationFactory(key=f"extra-{n}")
    expected = [
        row["id"]
        for row in api.get(LIST, token=read_token, ordering=ordering, page_size=200).json()[
            "results"
        ]
    ]

    seen, url, pages = [], f"{LIST}?ordering={ordering}&page_size=2", 0
    while url:
        page = api.get(url.removeprefix("http://testserver"), token=read_token).json()
        seen += [row["id"] for row in page["results"]]
        url, pages = page["next"], pages + 1

    assert seen == expected
    assert (len(seen), pages) == (9, 5)
    if ordering == "next_deadline":
        # Without an open deadline, last; then by id.
        assert seen[:2] == [portfolio["options"].pk, portfolio["quarterly"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "1000000000000000000000"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "٣"}, "page_size"),
        ({"ordering": "summary"}, "ordering"),
        ({"cursor": "not base64 at all!"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b"[1, 2]").decode()}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b'["id", null, "1"]').decode()}, "cursor"),
        (
            {"cursor": base64.urlsafe_b64encode(json.dumps(["-id", None, 5]).encode()).decode()},
            "cursor",
        ),
        (
            {"cursor": base64.urlsafe_b64encode(json.dumps(["id", None, 2**63]).encode()).decode()},
            "cursor",
        ),
        (
            {
                "ordering": "-id",
                "cursor": base64.urlsafe_b64encode(json.dumps(["-id", None, -1]).encode()).decode(),
            },
            "cursor",
        ),
        (
            {
                "ordering": "updated_at",
                "cursor": base64.urlsafe_b64encode(b'["updated_at", "yesterday", 5]').decode(),
            },
            "cursor",
        ),
        (
            {
                "ordering": "updated_at",
                "cursor": base64.urlsafe_b64encode(
                    b'["updated_at", "2023-09-01T14:00:00", 5]'
                ).decode(),
            },
            "cursor",
        ),
        *(
            (  # sort values are never null: no cursor of ours says so
                {
                    "ordering": ordering,
                    "cursor": base64.urlsafe_b64encode(
                        json.dumps([ordering, None, 5]).encode()
                    ).decode(),
                },
                "cursor",
            )
            for ordering in ("updated_at", "-updated_at", "next_deadline", "-next_deadline")
        ),
        ({"status": "overdue"}, "status"),
        ({"kind": "REPORT"}, "kind"),
        ({"overdue": "yes"}, "overdue"),
        ({"due_before": "2023-02-30"}, "due_before"),
        ({"due_after": "15/10/2023"}, "due_after"),
        ({"updated_since": "last week"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ({"resolution": "2692.5"}, "resolution"),
        ({"resolution": "-1"}, "resolution"),
        ({"resolution": "99999999999999999999"}, "resolution"),
        ({"paragraph": "10000"}, "paragraph"),
        ({"search": "x" * 201}, "search"),
        ({"search": "nul\x00byte"}, "search"),
        ({"statuss": "completed"}, "statuss"),
        ({"format": "xml"}, "format"),
        ({"due_before": ""}, "due_before"),
        ({"status": ["completed", ""]}, "status"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_them(api, read_token, portfolio, params, field):
    response = api.get(LIST, token=read_token, **params)

    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert list(body["fields"]) == [field]


def test_the_filter_form_checks_each_request_alone(api, read_token, portfolio):
    bad = api.get(LIST, token=read_token, status="bogus", kind="report")
    good = api.get(LIST, token=read_token, kind="report")
    french = api.get(LIST, token=read_token, status="bogus", headers={"Accept-Language": "fr"})

    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["status"])
    assert "bogus" in bad.json()["fields"]["status"][0]
    assert good.status_code == 200
    assert french.json()["fields"]["status"] != bad.json()["fields"]["status"]  # in French
    assert "bogus" in french.json()["fields"]["status"][0]


def test_largest_page_size_is_accepted(api, read_token, portfolio):
    assert api.get(LIST, token=read_token, page_size="200").status_code == 200


def test_detail_has_an_etag_and_answers_304_while_it_holds(
    api, read_token, options_report, frozen_clock
):
    obligation = options_report.schedule.obligation
    response = api.get(detail(obligation), token=read_token)
    etag = response["ETag"]

    same = api.get(detail(obligation), token=read_token, headers={"If-None-Match": etag})
    weak = api.get(detail(obligation), token=read_token, headers={"If-None-Match": f"W/{etag}"})
    listed = api.get(
        detail(obligation), token=read_token, headers={"If-None-Match": f'"other", {etag}'}
    )
    star = api.get(detail(obligation), token=read_token, headers={"If-None-Match": "*"})
    other = api.get(detail(obligation), token=read_token, headers={"If-None-Match": '"x"'})

    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert response.json()["etag"] == etag
    assert [r.status_code for r in (same, weak, listed, star, other)] == [304, 304, 304, 304, 200]
    assert (same.content, same["ETag"]) == (b"", etag)


def test_etag_changes_when_a_derived_value_changes(api, read_token, quarterly_report, frozen_clock):
    """Rescheduling a deadline or a new day can change next_deadline or overdue without
    touching the obligation's version: the ETag follows, so a 304 is never stale."""
    obligation = quarterly_report[0].schedule.obligation
    before = api.get(detail(obligation), token=read_token)["ETag"]

    frozen_clock.move_to(dt.datetime(2023, 10, 18, 12, tzinfo=dt.UTC))
    after = api.get(detail(obligation), token=read_token, headers={"If-None-Match": before})

    assert after.status_code == 200
    assert after.json()["overdue"] is True
    assert after["ETag"] != before


def test_unknown_obligation_is_a_json_404(api, read_token, db):
    for headers in ({}, {"If-None-Match": '"obligation-1-v1"'}):
        response = api.get(f"{LIST}424242/", token=read_token, headers=headers)

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_patch_changes_status_through_the_service_with_history(
    api, read_token, write_token, options_report, analyst, frozen_clock
):
    obligation = options_report.schedule.obligation
    etag = api.get(detail(obligation), token=read_token)["ETag"]
    frozen_clock.move_to(dt.datetime(2023, 9, 4, 13, tzinfo=dt.UTC))

    response = api.patch(
        detail(obligation),
        {"status": "in_progress", "note": "Drafting", "reason": "Kick-off meeting"},
        token=write_token,
        headers={"If-Match": etag},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["note"], body["version"]) == ("in_progress", "Drafting", 2)
    assert response["ETag"] == body["etag"] != etag
    record = obligation.history.latest()
    assert (record.history_user, record.history_change_reason) == (analyst, "Kick-off meeting")
    history = api.get(f"{detail(obligation)}history/", token=read_token).json()
    assert history[0] == {
        "at": "2023-09-04T13:00:00Z",
        "user": "ana-analyst",
        "token": {"name": "Test system", "prefix": write_token[3:15]},
        "subject": "obligation",
        "action": "changed",
        "note": "Kick-off meeting",
        "changes": [
            {"field": "status", "label": "status", "old": "Not started", "new": "In progress"},
            {"field": "note", "label": "progress note", "old": "", "new": "Drafting"},
        ],
    }


def test_patch_refuses_a_transition_the_rules_do_not_allow(
    api, write_token, options_report, frozen_clock
):
    obligation = options_report.schedule.obligation
    Obligation.objects.filter(pk=obligation.pk).update(status=ObligationStatus.COMPLETED)
    etag = api.get(detail(obligation), token=write_token)["ETag"]

    response = api.patch(
        detail(obligation), {"status": "not_started"}, token=write_token, headers={"If-Match": etag}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "status": [
            "An obligation cannot go from “Completed” to “Not started”. Allowed: In progress."
        ]
    }
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version) == ("completed", 1)


def test_patch_owner_and_analyst_needs_a_manager(
    api, make_token, write_token, manager, options_report, frozen_clock
):
    obligation = options_report.schedule.obligation
    new_owner = ActorFactory(code="unodc")
    manager_token = make_token(manager, read_only=False)
    etag = api.get(detail(obligation), token=write_token)["ETag"]

    refused = api.patch(
        detail(obligation), {"owner": "unodc"}, token=write_token, headers={"If-Match": etag}
    )
    unchanged = api.patch(
        detail(obligation),
        {"owner": obligation.owner.code, "assigned_analyst": None, "note": "Same owner"},
        token=write_token,
        headers={"If-Match": etag},
    )
    etag = unchanged["ETag"]
    allowed = api.patch(
        detail(obligation),
        {"owner": "unodc", "assigned_analyst": "ana-analyst"},
        token=manager_token,
        headers={"If-Match": etag},
    )

    assert refused.status_code == 403
    assert refused.json()["message"] == "Only a manager may change the owner or the analyst."
    assert unchanged.status_code == 200
    assert allowed.status_code == 200, allowed.content
    obligation.refresh_from_db()
    assert (obligation.owner, obligation.assigned_analyst.username) == (new_owner, "ana-analyst")


def test_patch_refuses_an_analyst_without_the_role(
    api, make_token, manager, options_report, frozen_clock
):
    obligation = options_report.schedule.obligation
    UserFactory(username="vic-viewer", role="viewer")
    token = make_token(manager, read_only=False)
    etag = api.get(detail(obligation), token=token)["ETag"]

    response = api.patch(
        detail(obligation),
        {"assigned_analyst": "vic-viewer"},
        token=token,
        headers={"If-Match": etag},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "assigned_analyst": ["vic-viewer has no role that may work on obligations."]
    }
