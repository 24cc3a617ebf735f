"""Query counts stay constant however many rows a page holds.

Token reads after the first are authenticated from the cache (no query); the first one of
each test is a warm-up.
"""

import pytest

from paragraphs.models import Obligation
from reports.enums import ScheduleKind
from reports.models import ObligationJson
from reports.services import schedule_sync_deadlines
from tests.factories import (
    ActorFactory,
    ObligationFactory,
    ParagraphFactory,
    ResolutionFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db


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


def _count(api, token, path, django_assert_num_queries, queries, **params):
    assert api.get(path, token=token, **params).status_code == 200  # warm-up
    with django_assert_num_queries(queries):
        response = api.get(path, token=token, **params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("count", [1, 30])
def test_obligation_list(api, read_token, portfolio, django_assert_num_queries, count):
    portfolio(count)

    # unfiltered, in id order: the page's rows as stored JSON (one prepared statement;
    # the warm-up stored them)
    response = _count(api, read_token, "/api/v1/obligations/", django_assert_num_queries, 1)
    # filtered or in another order: the page's ids; their stored JSON (one prepared
    # statement)
    filtered = _count(
        api, read_token, "/api/v1/obligations/", django_assert_num_queries, 2, paragraph="1"
    )
    reordered = _count(
        api, read_token, "/api/v1/obligations/", django_assert_num_queries, 2, ordering="-id"
    )
    # by an actor's code: its id first (so that PostgreSQL plans with the id), then as above
    owner = response.json()["results"][0]["owner"]
    by_owner = _count(
        api, read_token, "/api/v1/obligations/", django_assert_num_queries, 3, owner=owner
    )
    # an actor that does not exist: the lookup, and no page to read
    nobody = _count(
        api, read_token, "/api/v1/obligations/", django_assert_num_queries, 1, owner="nobody"
    )

    # rendered afresh (nothing stored yet, or all of it outdated): the page, its rows,
    # and storing them (in a savepoint of its own, without waiting for the disk)
    ObligationJson.objects.all().delete()
    with django_assert_num_queries(6):
        afresh = api.get("/api/v1/obligations/", token=read_token)
    assert ObligationJson.objects.count() == count

    assert afresh.json() == response.json()
    assert len(response.json()["results"]) == count
    assert filtered.json()["results"] == [
        row for row in response.json()["results"] if row["paragraph"] == 1
    ]
    assert reordered.json()["results"] == response.json()["results"][::-1]
    assert by_owner.json()["results"] == [
        row for row in response.json()["results"] if row["owner"] == owner
    ]
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

    # the page; references
    _count(api, read_token, "/api/v1/resolutions/", django_assert_num_queries, 2)
    # the resolution exists; the page; cites; obligations
    _count(
        api,
        read_token,
        f"/api/v1/resolutions/{resolution.pk}/paragraphs/",
        django_assert_num_queries,
        4,
    )
    _count(api, read_token, "/api/v1/actors/", django_assert_num_queries, 1)
    _count(api, read_token, "/api/v1/schedules/", django_assert_num_queries, 1)


@pytest.mark.parametrize("count", [1, 30])
def test_token_list(api, manager, make_token, analyst, django_assert_num_queries, count):
    for n in range(count):
        make_token(analyst, name=f"System {n}")
    api.client.force_login(manager)

    # session, user, the user's and the groups' permissions; the page (with users)
    response = _count(api, None, "/api/v1/tokens/", django_assert_num_queries, 5)

    assert len(response.json()["results"]) == count


def test_obligation_detail_and_conditional_get(
    api, read_token, portfolio, django_assert_num_queries
):
    portfolio(1)
    path = f"/api/v1/obligations/{Obligation.objects.get().pk}/"

    # the row, with its contributors
    etag = _count(api, read_token, path, django_assert_num_queries, 1)["ETag"]
    # what the ETag is made of, nothing else
    with django_assert_num_queries(1):
        not_modified = api.get(path, token=read_token, headers={"If-None-Match": etag})

    assert not_modified.status_code == 304


def test_deadline_detail_and_conditional_get(api, read_token, portfolio, django_assert_num_queries):
    portfolio(1)
    path = f"/api/v1/deadlines/{Obligation.objects.get().schedules.get().deadlines.first().pk}/"

    # the row
    etag = _count(api, read_token, path, django_assert_num_queries, 1)["ETag"]
    with django_assert_num_queries(1):
        not_modified = api.get(path, token=read_token, headers={"If-None-Match": etag})

    assert not_modified.status_code == 304
