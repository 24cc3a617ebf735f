"""One error shape, and a clean 4xx (never a 500) for whatever a client may send."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from api.errors import exception_handler

pytestmark = pytest.mark.django_db
SHAPE = {"status", "code", "message", "fields"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert (body["status"], body["code"]) == (status, code)
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def obligation_url(options_report):
    return f"/api/v1/obligations/{options_report.schedule.obligation_id}/"


@pytest.fixture
def etag(api, read_token, obligation_url):
    return api.get(obligation_url, token=read_token)["ETag"]


def test_401_without_credentials_names_the_scheme(api, obligation_url):
    response = api.get(obligation_url)

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Bearer nonsense", "This is not a Mandate Tracker API token."),
        ("Bearer mt_0123456789ab_" + "x" * 43, "Unknown API token."),
        ("Bearer mt_0123456789ab_" + "é" * 43, "This is not a Mandate Tracker API token."),
    ],
)
def test_401_for_tokens_that_are_not_ours(api, db, obligation_url, authorization, message):
    response = api.get(obligation_url, headers={"Authorization": authorization})

    assert assert_error(response, 401, "authentication_failed")["message"] == message


def test_401_for_a_right_prefix_with_a_wrong_secret(api, read_token, obligation_url):
    forged = read_token[:16] + ("A" if read_token[16] != "A" else "B") + read_token[17:]

    response = api.get(obligation_url, token=forged)

    assert assert_error(response, 401, "authentication_failed")["message"] == "Unknown API token."


def test_401_when_the_tokens_user_is_inactive(api, read_token, analyst, obligation_url):
    analyst.is_active = False
    analyst.save()

    response = api.get(obligation_url, token=read_token)

    assert assert_error(response, 401, "authentication_failed")["message"] == (
        "The account this token acts as is inactive."
    )


def test_404_for_a_path_that_names_no_endpoint(api, read_token):
    body = assert_error(api.get("/api/v1/nothing/here/", token=read_token), 404, "not_found")

    assert body["message"] == "There is no such endpoint in API v1."
    assert api.get("/api/v1/obligations/abc/", token=read_token).status_code == 404
    assert api.get("/api/v1/obligations/-1/", token=read_token).status_code == 404
    assert api.get(f"/api/v1/obligations/{'9' * 19}/", token=read_token).status_code == 404
    # The benchmark ceiling exists only when the benchmark switches it on.
    assert api.get("/api/v1/benchmark-ceiling/", token=read_token).status_code == 404


def test_a_missing_trailing_slash_is_a_308_that_keeps_the_method(
    api, write_token, obligation_url, etag
):
    response = api.patch(
        obligation_url.rstrip("/"), {"note": "x"}, token=write_token, headers={"If-Match": etag}
    )
    listed = api.get("/api/v1/obligations", token=write_token, page_size="5")

    assert (response.status_code, response["Location"]) == (308, obligation_url)
    assert (listed.status_code, listed["Location"]) == (308, "/api/v1/obligations/?page_size=5")


def test_405_for_a_method_the_endpoint_does_not_have(api, write_token, obligation_url):
    response = api.send("delete", obligation_url, token=write_token)
    put = api.send("put", obligation_url, {"status": "completed"}, token=write_token)

    assert_error(response, 405, "method_not_allowed")
    assert_error(put, 405, "method_not_allowed")
    assert "PATCH" in response["Allow"]


def test_428_without_if_match_and_412_with_a_stale_one(
    api, write_token, obligation_url, etag, options_report
):
    missing = api.patch(obligation_url, {"status": "in_progress"}, token=write_token)
    star = api.patch(
        obligation_url, {"status": "in_progress"}, token=write_token, headers={"If-Match": "*"}
    )
    weak = api.patch(
        obligation_url,
        {"status": "in_progress"},
        token=write_token,
        headers={"If-Match": f"W/{etag}"},
    )
    stale = api.patch(
        obligation_url,
        {"status": "in_progress"},
        token=write_token,
        headers={"If-Match": '"' + "0" * 32 + '"'},
    )

    assert_error(missing, 428, "precondition_required")
    assert_error(star, 428, "precondition_required")
    assert_error(weak, 412, "precondition_failed")
    assert_error(stale, 412, "precondition_failed")
    obligation = options_report.schedule.obligation
    obligation.refresh_from_db()
    assert (obligation.status, obligation.version, obligation.history.count()) == (
        "not_started",
        1,
        1,
    )


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        ('{"note": "unfinished', "application/json", 400, "parse_error"),
        ('{"note": NaN}', "application/json", 400, "parse_error"),
        (b'{"note": "caf\xe9"}', "application/json", 400, "parse_error"),
        ("[" * 30_000 + "]" * 30_000, "application/json", 400, "parse_error"),
        ('{"note": "' + "x" * 70_000 + '"}', "application/json", 413, "payload_too_large"),
        ("note=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"note": "hello"}', "text/plain", 415, "unsupported_media_type"),
    ],
)
def test_bodies_that_are_not_json_objects_within_bounds(
    api, write_token, obligation_url, etag, raw, content_type, status, code
):
    response = api.patch(
        obligation_url,
        raw=raw,
        content_type=content_type,
        token=write_token,
        headers={"If-Match": etag},
    )

    assert_error(response, status, code)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            [{"status": "in_progress"}],
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
        ),
        (
            "in_progress",
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]},
        ),
        (
            {},
            {
                "non_field_errors": [
                    "Nothing to change: send status, note, owner or assigned_analyst."
                ]
            },
        ),
        (
            {"reason": "Only a reason"},
            {
                "non_field_errors": [
                    "Nothing to change: send status, note, owner or assigned_analyst."
                ]
            },
        ),
        ({"status": 2}, {"status": ['"2" is not a valid choice.']}),
        ({"status": None}, {"status": ["This field may not be null."]}),
        ({"status": "overdue"}, {"status": ['"overdue" is not a valid choice.']}),
        ({"note": 42}, {"note": ["Not a valid string."]}),
        ({"note": {"text": "x"}}, {"note": ["Not a valid string."]}),
        ({"note": "a\x00b"}, {"note": ["Null characters are not allowed."]}),
        (
            {"note": "x" * 10_001},
            {"note": ["Ensure this field has no more than 10000 characters."]},
        ),
        ({"owner": "nobody"}, {"owner": ["Object with code=nobody does not exist."]}),
        ({"owner": None}, {"owner": ["This field may not be null."]}),
        ({"owner": 5}, {"owner": ["Invalid value."]}),  # a code is a string, never a number
        ({"assigned_analyst": 7}, {"assigned_analyst": ["Invalid value."]}),
        (
            {"assigned_analyst": "nobody"},
            {"assigned_analyst": ["Object with username=nobody does not exist."]},
        ),
        ({"version": 3, "status": "in_progress"}, {"version": ["Unknown field."]}),
    ],
)
def test_wrong_types_and_unknown_fields_are_a_400_naming_the_field(
    api, write_token, obligation_url, etag, options_report, body, fields
):
    response = api.patch(obligation_url, body, token=write_token, headers={"If-Match": etag})

    assert assert_error(response, 400, "invalid")["fields"] == fields
    obligation = options_report.schedule.obligation
    obligation.refresh_from_db()
    assert obligation.version == 1


def test_a_lone_surrogate_is_refused(api, write_token, obligation_url, etag):
    response = api.patch(
        obligation_url, raw='{"note": "\\ud800"}', token=write_token, headers={"If-Match": etag}
    )

    assert assert_error(response, 400, "invalid")["fields"] == {
        "note": ["Surrogate characters are not allowed: U+D800."]
    }


def test_any_accept_header_gets_json(api, read_token, obligation_url):
    response = api.get(obligation_url, token=read_token, headers={"Accept": "text/html"})

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.mark.parametrize("memory_cache", [False, True], ids=["redis", "memory-cache"])
def test_429_per_token_with_retry_after(
    api, read_token, make_token, manager, obligation_url, settings, memory_cache
):
    if memory_cache:  # `make run` without Redis
        settings.CACHES = MEMORY_CACHE
    other = make_token(manager)

    with override_settings(API_RATE_LIMITS={"token": 2, "user": 2, "anonymous": 2}):
        statuses = [api.get(obligation_url, token=read_token).status_code for _ in range(3)]
        limited = api.get(obligation_url, token=read_token)
        other_token = api.get(obligation_url, token=other)

    assert statuses == [200, 200, 429]
    body = assert_error(limited, 429, "throttled")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Expected available in" in body["message"]
    assert other_token.status_code == 200


def test_wrong_secrets_for_a_known_prefix_do_not_use_up_the_tokens_limit(
    api, read_token, obligation_url
):
    forged = read_token[:16] + ("A" if read_token[16] != "A" else "B") + read_token[17:]

    with override_settings(API_RATE_LIMITS={"token": 2, "user": 2, "anonymous": 2}):
        forged_statuses = [api.get(obligation_url, token=forged).status_code for _ in range(3)]
        statuses = [api.get(obligation_url, token=read_token).status_code for _ in range(3)]

    assert forged_statuses == [401, 401, 401]
    assert statuses == [200, 200, 429]


def test_reads_and_writes_of_one_token_share_its_limit(api, write_token, obligation_url):
    with override_settings(API_RATE_LIMITS={"token": 3, "user": 3, "anonymous": 3}):
        etag = api.get(obligation_url, token=write_token)["ETag"]
        write = api.patch(
            obligation_url, {"note": "Counted."}, token=write_token, headers={"If-Match": etag}
        )
        statuses = [api.get(obligation_url, token=write_token).status_code for _ in range(2)]

    assert write.status_code == 200
    assert statuses == [200, 429]


def test_a_domain_error_about_no_field_is_a_400_for_the_whole_request():
    response = exception_handler(ValidationError("Not now."), context={})

    assert (response.status_code, response.data) == (
        400,
        {
            "status": 400,
            "code": "invalid",
            "message": "The request is invalid: see the fields.",
            "fields": {"non_field_errors": ["Not now."]},
        },
    )
