"""Reads of the API by token (mandate_tracker.api.middleware): they skip the browser's
middleware and get exactly what the whole stack answers; everything else goes through
the whole stack."""

import pytest
import simple_history.middleware as history_middleware
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.utils.module_loading import import_string

from mandate_tracker.api.middleware import BROWSER_ONLY, NAME, TokenReads
from tests.api.conftest import Api


def _client(lane: bool) -> Api:
    """A client whose middleware has the lane or not (a client loads its middleware on
    its first request, and keeps it)."""
    middleware = [m for m in settings.MIDDLEWARE if lane or m != NAME]
    with override_settings(MIDDLEWARE=middleware):
        api = Api(Client())
        api.get("/api/v1/")  # loads the middleware: a 404, no token, nothing counted
    return api


@pytest.fixture(scope="module")
def clients() -> dict[bool, Api]:
    return {lane: _client(lane) for lane in (True, False)}


def _seen(response) -> tuple:
    return (
        response.status_code,
        response.content,
        sorted(response.items()),
        sorted((name, morsel.OutputString()) for name, morsel in response.cookies.items()),
    )


@pytest.fixture
def browser_middleware_calls(monkeypatch) -> list[str]:
    """The browser's middleware that requests pass through, in order."""
    calls = []
    for path in sorted(BROWSER_ONLY):
        middleware = import_string(path)
        if path == "simple_history.middleware.HistoryRequestMiddleware":
            # a function's closure, which sets history's request in this context manager
            context = history_middleware._context_manager

            def entered(request, context=context, path=path):
                calls.append(path)
                return context(request)

            monkeypatch.setattr(history_middleware, "_context_manager", entered)
            continue
        through = middleware.__call__

        def call(self, request, through=through, path=path):
            calls.append(path)
            return through(self, request)

        monkeypatch.setattr(middleware, "__call__", call)
    return calls


@pytest.fixture
def paths(options_report) -> list[str]:
    obligation = options_report.schedule.obligation
    paragraph = obligation.paragraph
    return [
        "/api/v1/obligations/",
        "/api/v1/obligations/?page_size=1",
        "/api/v1/obligations/?status=in_progress&kind=report&ordering=-next_deadline",
        "/api/v1/obligations/?status=nonsense",  # a 400 naming the parameter
        "/api/v1/obligations/?page_size=100000&cursor=garbage",
        f"/api/v1/obligations/{obligation.pk}/",
        f"/api/v1/obligations/{obligation.pk}/history/",
        f"/api/v1/obligations/{obligation.pk + 99}/",  # no such obligation
        f"/api/v1/obligations/{obligation.pk}",  # no trailing slash
        f"/api/v1/deadlines/?obligation={obligation.pk}",
        f"/api/v1/deadlines/{options_report.pk}/",
        f"/api/v1/schedules/{options_report.schedule_id}/",
        f"/api/v1/resolutions/{paragraph.resolution_id}/",
        f"/api/v1/resolutions/{paragraph.resolution_id}/paragraphs/{paragraph.number}/",
        "/api/v1/actors/",
        "/api/v1/alerts/",
        "/api/v1/tokens/",  # a manager's
        "/api/v1/nothing-here/",
    ]


WHO = ["read", "write", "manager", "viewer", "outsider", "revoked", "forged", "junk", "empty"]


@pytest.mark.parametrize("who", WHO)
def test_a_token_read_gets_what_the_whole_stack_answers(
    who, clients, paths, make_token, read_token, write_token, revoked_token, manager, viewer,
    outsider, browser_middleware_calls,
):  # fmt: skip
    token = {
        "read": read_token,
        "write": write_token,
        "manager": make_token(manager),
        "viewer": make_token(viewer),
        "outsider": make_token(outsider),
        "revoked": revoked_token,
        "forged": read_token[:-2] + ("xx" if read_token[-2:] != "xx" else "yy"),
        "junk": "not-a-token",
        "empty": "",
    }[who]
    authorization = {"Authorization": f"Bearer {token}"}
    for path in paths:
        for headers in ({}, {"Accept-Language": "fr"}, {"Host": "evil.example"}):
            for method in ("get", "head"):
                answers = {}
                for lane, api in clients.items():
                    del browser_middleware_calls[:]
                    send = getattr(api.client, method)
                    answers[lane] = _seen(send(path, headers={**authorization, **headers}))
                    assert bool(browser_middleware_calls) is not lane, (path, lane)

                assert answers[True] == answers[False], (who, path, headers, method)


def test_the_rate_limit_answers_the_same(clients, read_token):
    seen = {}
    for lane, api in clients.items():
        cache.clear()  # the counts so far, and the token's cache entry
        with override_settings(API_RATE_LIMITS={"token": 2, "user": 2, "anonymous": 2}):
            answers = [api.get("/api/v1/actors/", token=read_token) for _ in range(3)]
        seen[lane] = [(a.status_code, a.get("Retry-After") is not None) for a in answers]

    assert seen[True] == seen[False] == [(200, False), (200, False), (429, True)]


def test_the_schema_by_token_is_the_same(clients, read_token, browser_middleware_calls):
    lane, whole = (clients[lane].get("/api/v1/schema/", token=read_token) for lane in (True, False))

    assert lane.status_code == 200
    assert _seen(lane) == _seen(whole)


def test_swagger_ui_by_token_goes_through_the_whole_stack(
    api, read_token, browser_middleware_calls
):
    response = api.get("/api/v1/docs/", token=read_token)

    assert response.status_code == 200
    # a page for the browser: its CSRF token, for the session it may use
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert len(browser_middleware_calls) == len(BROWSER_ONLY)


def test_a_session_and_every_write_go_through_the_whole_stack(
    api, analyst, write_token, options_report, browser_middleware_calls
):
    path = f"/api/v1/obligations/{options_report.schedule.obligation_id}/"
    etag = api.get(path, token=write_token)["ETag"]
    assert browser_middleware_calls == []  # a read by token

    written = api.patch(
        path, {"status": "in_progress"}, token=write_token, headers={"If-Match": etag}
    )
    by_write = len(browser_middleware_calls)
    api.client.force_login(analyst)
    read_by_session = api.get(path)

    assert (written.status_code, read_by_session.status_code) == (200, 200)
    assert by_write == len(BROWSER_ONLY)
    assert len(browser_middleware_calls) == 2 * len(BROWSER_ONLY)
    # The history records the token's user, as django-simple-history's middleware has it.
    assert api.get(f"{path}history/", token=write_token).json()[0]["user"] == analyst.username


class WithViewHook:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        return None


def test_a_following_middleware_with_hooks_the_lane_does_not_call_is_refused():
    middleware = [*settings.MIDDLEWARE, f"{__name__}.WithViewHook"]

    with (
        override_settings(MIDDLEWARE=middleware),
        pytest.raises(ImproperlyConfigured, match="WithViewHook has process_view"),
    ):
        TokenReads(lambda request: None)
