"""The 304 shortcut (reports.api.middleware): conditional GETs by token, answered ahead of
the rest of the middleware and of DRF, exactly as the views answer them."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

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


WHO = ["read", "write", "viewer", "outsider", "revoked", "forged", "junk"]


@pytest.mark.parametrize("who", WHO)
def test_every_other_request_gets_what_the_view_answers(
    answer, who, make_token, read_token, write_token, revoked_token, viewer, outsider, paths, etags
):
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
