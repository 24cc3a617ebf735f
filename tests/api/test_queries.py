"""Query counts stay constant however many rows a page holds.

Every request with a token reads the token with its user (one query) and, for the role
check, the user's and its groups' permissions (two): three queries before the view's own.
The first request of each test is a warm-up (it also records the token's last use).
"""

import pytest

from paragraphs.models import Obligation
from reports.enums import ScheduleKind
from reports.services import schedule_sync_deadlines
from tests.factories import (
    ActorFactory,
    ObligationFactory,
    ParagraphFactory,
    ResolutionFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db
AUTH = 3  # the token and its user; the user's permissions; its groups' permissions


@pytest.fixture
def portfolio(frozen_clock, analyst):
    def make(count: int):
        resolution = ResolutionFactory()
        helpers = [ActorFactory(code="binuh"), ActorFactory(code="unodc")]
        for number in range(1, count + 1):
            obligation = ObligationFactory(
                paragraph=ParagraphFactory(resolution=resolution, position=number),
                assigned_analyst=analyst,
            )
            obligation.contributors.set(helpers)
            schedule = ScheduleFactory(
                obligation=obligation, kind=ScheduleKind.RECURRING, every_months=3
            )
            schedule_sync_deadlines(schedule=schedule, by=analyst)
        resolution.references.set([ResolutionFactory(), ResolutionFactory()])
        return resolution

    return make


def _count(api, token, path, django_assert_num_queries, queries, headers=None, **params):
    assert api.get(path, token=token, **params).status_code == 200  # warm-up
    with django_assert_num_queries(AUTH + queries):
        response = api.get(path, token=token, headers=headers, **params)
    assert response.status_code in (200, 304)
    return response


@pytest.mark.parametrize("count", [1, 30])
def test_obligation_list(api, read_token, portfolio, django_assert_num_queries, count):
    portfolio(count)
    path = "/api/v1/obligations/"

    # the page: obligations with their resolution, paragraph, owner, analyst, next
    # deadline and contributors
    response = _count(api, read_token, path, django_assert_num_queries, 1)
    filtered = _count(api, read_token, path, django_assert_num_queries, 1, paragraph="1")
    reordered = _count(api, read_token, path, django_assert_num_queries, 1, ordering="-id")
    by_deadline = _count(
        api, read_token, path, django_assert_num_queries, 1, ordering="next_deadline"
    )
    # by an actor's code: its id first (so that PostgreSQL plans with the id), then as above
    owner = response.json()["results"][0]["owner"]
    by_owner = _count(api, read_token, path, django_assert_num_queries, 2, owner=owner)
    # an actor that does not exist: the lookup, and no page to read
    nobody = _count(api, read_token, path, django_assert_num_queries, 1, owner="nobody")

    rows = response.json()["results"]
    assert len(rows) == count
    assert filtered.json()["results"] == [row for row in rows if row["paragraph"] == 1]
    assert reordered.json()["results"] == rows[::-1]
    assert sorted(by_deadline.json()["results"], key=lambda r: r["id"]) == rows
    assert by_owner.json()["results"] == [row for row in rows if row["owner"] == owner]
    assert nobody.json()["results"] == []


@pytest.mark.parametrize("count", [1, 30])
def test_deadline_list(api, read_token, portfolio, django_assert_num_queries, count):
    portfolio(count)

    # the page of rows
    response = _count(
        api, read_token, "/api/v1/deadlines/", django_assert_num_queries, 1, page_size="200"
    )

    assert len(response.json()["results"]) == 4 * count


@pytest.mark.parametrize("count", [1, 30])
def test_other_lists(api, read_token, portfolio, django_assert_num_queries, count):
    resolution = portfolio(count)

    # the page (with mandate and renewed resolution); references; renewals
    _count(api, read_token, "/api/v1/resolutions/", django_assert_num_queries, 3)
    # the resolution exists; the page; cites; texts; obligations
    _count(
        api,
        read_token,
        f"/api/v1/resolutions/{resolution.pk}/paragraphs/",
        django_assert_num_queries,
        5,
    )
    _count(api, read_token, "/api/v1/actors/", django_assert_num_queries, 1)
    _count(api, read_token, "/api/v1/schedules/", django_assert_num_queries, 1)


@pytest.mark.parametrize("count", [1, 30])
def test_token_list(api, manager, make_token, analyst, django_assert_num_queries, count):
    for n in range(count):
        make_token(analyst, name=f"System {n}")
    api.client.force_login(manager)

    # session, user, the user's and the groups' permissions; the page (with users)
    api.get("/api/v1/tokens/")
    with django_assert_num_queries(5):
        response = api.get("/api/v1/tokens/")

    assert len(response.json()["results"]) == count


def test_obligation_detail_and_conditional_get(
    api, read_token, portfolio, django_assert_num_queries
):
    portfolio(1)
    path = f"/api/v1/obligations/{Obligation.objects.get().pk}/"

    # the row (a conditional GET renders it too, to compare its ETag)
    etag = _count(api, read_token, path, django_assert_num_queries, 1)["ETag"]
    not_modified = _count(
        api, read_token, path, django_assert_num_queries, 1, headers={"If-None-Match": etag}
    )

    assert not_modified.status_code == 304


def test_deadline_detail_and_conditional_get(api, read_token, portfolio, django_assert_num_queries):
    portfolio(1)
    path = f"/api/v1/deadlines/{Obligation.objects.get().schedules.get().deadlines.first().pk}/"

    # the row
    etag = _count(api, read_token, path, django_assert_num_queries, 1)["ETag"]
    not_modified = _count(
        api, read_token, path, django_assert_num_queries, 1, headers={"If-None-Match": etag}
    )

    assert not_modified.status_code == 304
