"""The 304 shortcut (reports.api.middleware): conditional GETs by token, answered ahead of
the rest of the middleware and of DRF, exactly as the views answer them, from the copies
of the ETags in Redis (reports.etag_copies) once a first one has read PostgreSQL."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from mandate_tracker import copies
from paragraphs.models import Obligation
from reports import etag_copies
from reports.api.views import DeadlineViewSet, ObligationViewSet
from tests.api.conftest import Api

SHORTCUT = "reports.api.middleware.NotModifiedShortcut"
HEADERS_COMPARED = ("ETag", "Vary", "Retry-After", "WWW-Authenticate", "Content-Type")


def _client(shortcut: bool) -> Api:
    """A client whose middleware has the shortcut or not (a client loads its middleware
    on its first request, and keeps it)."""
    middleware = [m for m in settings.MIDDLEWARE if shortcut or m != SHORTCUT]
    with override_settings(MIDDLEWARE=middleware):
        api = Api(Client())
        api.get("/api/v1/")  # loads the middleware: a 404, no token, nothing counted
    return api


@pytest.fixture(scope="module")
def clients() -> dict[bool, Api]:
    return {shortcut: _client(shortcut) for shortcut in (True, False)}


@pytest.fixture
def answer(clients):
    def answer(path, token, headers, *, shortcut: bool, method="get"):
        """One request with the shortcut in the middleware or not."""
        api = clients[shortcut]
        if method == "head":
            return api.client.head(path, headers=api._headers(token, headers))
        return api.get(path, token=token, headers=headers)

    return answer


def _seen(response) -> tuple:
    return (
        response.status_code,
        response.content,
        {name: response.get(name) for name in HEADERS_COMPARED},
    )


@pytest.fixture
def paths(options_report):
    obligation = f"/api/v1/obligations/{options_report.schedule.obligation_id}/"
    deadline = f"/api/v1/deadlines/{options_report.pk}/"
    return obligation, deadline


@pytest.fixture
def full_answers(api, read_token, paths):
    """The 200s of both objects, read before anything else happens."""
    return [api.get(path, token=read_token) for path in paths]


@pytest.fixture
def etags(full_answers):
    return [answer["ETag"] for answer in full_answers]


@pytest.fixture
def released(paths, etags):
    """The fixtures' writes hold their objects' copies until a commit that a test's
    transaction never makes; empty Redis as their releases would (and the rate counts and
    token cache with it), so that copies may be kept."""
    cache.clear()


def _copy_of(path: str) -> bytes | None:
    kind = "obligation" if "/obligations/" in path else "deadline"
    key, _epoch = copies.read_keys(etag_copies.name(kind, int(path.rstrip("/").split("/")[-1])))
    return cache._cache.get_client().get(key)


@pytest.fixture
def views_unreachable(monkeypatch):
    """Any request that reaches the views' retrieve fails the test."""

    def unreachable(self, request, pk):
        raise AssertionError("the view answered")

    for view in (ObligationViewSet, DeadlineViewSet):
        monkeypatch.setattr(view, "retrieve", unreachable)


def test_a_conditional_get_by_token_is_answered_before_the_view(
    answer, read_token, paths, full_answers, etags, views_unreachable
):
    for path, full, etag in zip(paths, full_answers, etags, strict=True):
        for method in ("get", "head"):
            response = answer(
                path, read_token, {"If-None-Match": etag}, shortcut=True, method=method
            )

            assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)
            # the same Vary as the full answer (RFC 9110, 15.4.5), and the security headers
            assert response["Vary"] == full["Vary"] == "Accept-Language"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"


def test_a_second_conditional_get_is_answered_from_the_copy_without_a_query(
    answer, read_token, paths, etags, released, django_assert_num_queries
):
    for path, etag in zip(paths, etags, strict=True):
        first = answer(path, read_token, {"If-None-Match": etag}, shortcut=True)
        assert _copy_of(path) == f"2023-09-01|{etag}".encode()
        with django_assert_num_queries(0):  # the token and the ETag, both from Redis
            second = answer(path, read_token, {"If-None-Match": etag}, shortcut=True)
        stale = answer(path, read_token, {"If-None-Match": '"x"'}, shortcut=True)

        assert (first.status_code, second.status_code, second["ETag"]) == (304, 304, etag)
        assert stale.status_code == 200  # another tag: the view answers, from the database


def test_a_copy_of_yesterday_is_read_again(
    answer, read_token, paths, etags, released, frozen_clock
):
    answer(paths[0], read_token, {"If-None-Match": etags[0]}, shortcut=True)
    frozen_clock.move_to("2023-09-02 09:00Z")

    response = answer(paths[0], read_token, {"If-None-Match": etags[0]}, shortcut=True)

    assert response.status_code == 304  # still overdue: the same ETag, read again
    assert _copy_of(paths[0]) == f"2023-09-02|{etags[0]}".encode()


def _deliver(api, write_token, paths, etags):
    return api.post(
        f"{paths[1]}deliver/",
        {"delivered_on": "2023-08-14"},
        token=write_token,
        headers={"If-Match": etags[1]},
    )


def _reschedule(api, write_token, paths, etags):
    return api.post(
        f"{paths[1]}reschedule/",
        {"scheduled_on": "2023-09-15", "reason": "Programme of work"},
        token=write_token,
        headers={"If-Match": etags[1]},
    )


def _patch(api, write_token, paths, etags):
    return api.patch(
        paths[0], {"status": "in_progress"}, token=write_token, headers={"If-Match": etags[0]}
    )


def _delete(api, write_token, paths, etags):
    Obligation.objects.get(pk=int(paths[0].split("/")[-2])).delete()


@pytest.mark.parametrize(
    "write, statuses",
    [
        (_patch, [200, 304]),  # the obligation's version
        (_deliver, [200, 200]),  # the deadline, and the obligation's status
        (_reschedule, [200, 200]),  # the deadline, and only the obligation's next deadline
        (_delete, [404, 404]),  # both gone
    ],
    ids=["patch obligation", "deliver deadline", "reschedule deadline", "delete obligation"],
)
def test_a_write_withdraws_the_copies_it_changes(
    api,
    answer,
    read_token,
    write_token,
    paths,
    etags,
    released,
    write,
    statuses,
    django_capture_on_commit_callbacks,
):
    for path, etag in zip(paths, etags, strict=True):
        answer(path, read_token, {"If-None-Match": etag}, shortcut=True)
        assert _copy_of(path) is not None

    with django_capture_on_commit_callbacks(execute=True):
        write(api, write_token, paths, etags)

    for path, etag, status in zip(paths, etags, statuses, strict=True):
        with_shortcut = answer(path, read_token, {"If-None-Match": etag}, shortcut=True)
        without = answer(path, read_token, {"If-None-Match": etag}, shortcut=False)

        assert _seen(with_shortcut) == _seen(without), path
        assert with_shortcut.status_code == status, path


WHO = ["read", "write", "viewer", "outsider", "revoked", "forged", "junk"]


@pytest.mark.parametrize("copies_kept", [False, True], ids=["database", "copies"])
@pytest.mark.parametrize("who", WHO)
def test_every_other_request_gets_what_the_view_answers(
    request,
    answer,
    who,
    make_token,
    read_token,
    write_token,
    revoked_token,
    viewer,
    outsider,
    paths,
    etags,
    copies_kept,
):
    if copies_kept:  # the shortcut answers from the copies, kept by the first request
        request.getfixturevalue("released")
    token = {
        "read": read_token,
        "write": write_token,
        "viewer": make_token(viewer),
        "outsider": make_token(outsider),
        "revoked": revoked_token,
        "forged": read_token[:-2] + ("xx" if read_token[-2:] != "xx" else "yy"),
        "junk": "not-a-token",
    }[who]
    obligation = paths[0]
    targets = [
        *paths,
        f"{obligation[:-1]}99/",  # no such obligation
        "/api/v1/obligations/1234567890123456789/",  # longer than any id
        "/api/v1/obligations/",  # the list, not an object
        obligation[:-1],  # no trailing slash
    ]
    for path in targets:
        for tag in [*etags, '"obligation-0-v1"', "*", f"W/{etags[0]}", f'"x", {etags[1]}']:
            headers = {"If-None-Match": tag}
            with_shortcut = answer(path, token, headers, shortcut=True)
            without = answer(path, token, headers, shortcut=False)

            assert _seen(with_shortcut) == _seen(without), (who, path, tag)


def test_a_session_and_a_bad_host_go_through_the_whole_stack(
    answer, api, analyst, paths, etags, views_unreachable, read_token
):
    api.client.force_login(analyst)

    with pytest.raises(AssertionError, match="the view answered"):
        api.get(paths[0], headers={"If-None-Match": etags[0]})
    bad_host = answer(
        paths[0], read_token, {"If-None-Match": etags[0], "Host": "evil.example"}, shortcut=True
    )

    assert bad_host.status_code == 400


def test_the_rate_is_counted_once_and_a_throttled_request_gets_the_views_429(
    answer, read_token, paths, etags
):
    # Stale tags go on to the view, which must not count them a second time.
    tags = ['"obligation-0-v1"', '"obligation-0-v1"', etags[0], etags[0]]
    seen = {}
    for shortcut in (True, False):
        cache.clear()  # the counts so far, and the token's cache entry
        with override_settings(API_RATE_LIMITS={"token": 3, "user": 3, "anonymous": 3}):
            answers = [
                answer(paths[0], read_token, {"If-None-Match": tag}, shortcut=shortcut)
                for tag in tags
            ]
        seen[shortcut] = [(a.status_code, a.get("Retry-After") is not None) for a in answers]

    assert seen[True] == seen[False] == [(200, False), (200, False), (304, False), (429, True)]
