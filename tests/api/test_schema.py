"""The OpenAPI description, Swagger UI, and the API checked against its own schema."""

import base64
import re

import hypothesis
import schemathesis
from django.contrib.staticfiles import finders
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.live import LIVE

pytestmark = LIVE

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Invalid requests must be refused. Preconditions are checked before the body is read (RFC
# 9110, 13.2.1), so a write with an invalid body and a stale or missing If-Match gets the
# 412 or 428, which refuses it as well.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 409, 412, 413, 415, 428, 429]
            }
        }
    }
)
# Bounded so that the whole run stays well under two minutes on a busy CI machine.
EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 12, schemathesis.GenerationMode.NEGATIVE: 6}


def test_schema_is_served_and_describes_every_endpoint_and_error(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/schema/", headers={"Accept": "application/json"})

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert "Versioning" in schema["info"]["description"]
    operations = {
        (method, path): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert len(operations) == 32
    for (method, path), operation in operations.items():
        codes = set(operation["responses"])
        assert {"401", "403", "429"} <= codes, (method, path)
        assert operation.get("summary"), (method, path)
        # Writes to versioned objects; tokens and one's own alerts have no versions.
        versioned = not path.startswith(("/api/v1/tokens/", "/api/v1/alerts/"))
        if method in {"patch", "post"} and "{id}" in path and versioned:
            assert {"400", "404", "412", "415", "428"} <= codes, (method, path)
        if method == "delete":
            assert {"204", "404"} <= codes, (method, path)
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_query_parameter_is_typed_and_described(client, viewer):
    client.force_login(viewer)
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"}).json()

    parameters = {
        (path, parameter["name"]): parameter
        for path, methods in schema["paths"].items()
        for operation in methods.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }

    assert [key for key, parameter in parameters.items() if not parameter.get("description")] == []
    overdue = parameters["/api/v1/obligations/", "overdue"]
    assert overdue["schema"] == {"type": "boolean"}
    assert overdue["description"] == (
        "An open deadline is overdue (tolerance included) in a period not ended."
    )
    assert parameters["/api/v1/deadlines/", "obligation"]["schema"]["type"] == "integer"


def test_swagger_ui_is_served_with_local_assets_only_and_no_inline_script(client, viewer):
    client.force_login(viewer)
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    script = client.get("/api/v1/docs/", {"script": ""})

    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert all(finders.find(asset) for asset in assets), assets
    assert "cdn" not in page.lower()
    assert "https://" not in page
    # Every <script> has a src: the start-up script is a file, as the CSP demands.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_schema_and_docs_are_behind_sign_in(client, db):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert (schema.status_code, schema.json()["code"]) == (401, "not_authenticated")
    assert (docs.status_code, docs["Location"]) == (302, "/accounts/login/?next=/api/v1/docs/")


def test_the_api_answers_as_its_schema_says(live_server, res2692, make_token, manager, settings):
    """Schemathesis generates valid and invalid requests for every operation: never a 5xx,
    and every answer (status, headers, content type, body) as the schema describes it."""
    settings.API_RATE_LIMITS = {"token": 100_000, "user": 100_000, "anonymous": 100_000}
    headers = {"Authorization": f"Bearer {make_token(manager, read_only=False)}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/", config=CONFIG, headers=headers
    )
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():
            checks = [*CHECKS, negative_data_rejection] if mode.is_negative else CHECKS
            try:
                _explore(operation, mode, examples, checks, live_server.url, headers)
            except Exception as error:  # every operation's failures, not just the first
                failures.append(f"{operation.label} ({mode.value}): {error}")

    assert not failures, "\n\n".join(failures)


def _explore(operation, mode, examples, checks, base_url, headers):
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def explore(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=checks)

    explore()


HOSTILE_CURSORS = [
    base64.urlsafe_b64encode(raw).decode()
    for raw in (
        b'["code", "a\\u0000b", 1]',  # NUL: PostgreSQL cannot hold it
        b'["code", "\\ud800", 1]',  # a lone surrogate: not UTF-8 at all
        b'["code", "' + b"x" * 5000 + b'", 1]',
        b'["id", null, 99999999999999999999999]',  # past bigint
        b"\xff\xfe not json",
    )
] + ["%00", "\x00", "not base64 at all!", "A" * 10_000]


def test_hostile_cursors_and_huge_bodies_answer_as_the_schema_says(
    live_server, res2692, make_token, manager, settings
):
    """The cases random generation rarely reaches, checked like the rest: hostile cursors on
    every list, and bodies over the API's limit and over Django's own on every write."""
    settings.API_RATE_LIMITS = {"token": 100_000, "user": 100_000, "anonymous": 100_000}
    headers = {"Authorization": f"Bearer {make_token(manager, read_only=False)}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/", config=CONFIG, headers=headers
    )
    failures, statuses = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.query}
        path = {p.name: 1 for p in operation.path_parameters}
        cases = []
        if "cursor" in names:
            ordering = "code" if operation.path == "/api/v1/actors/" else None
            for cursor in HOSTILE_CURSORS:
                query = {"cursor": cursor} | ({"ordering": ordering} if ordering else {})
                cases.append(operation.Case(path_parameters=path, query=query))
        if operation.method.upper() in {"POST", "PATCH"} and operation.body:
            for size in (70_000, 3_000_000):  # past 64 KiB; past Django's 2.5 MB
                body = {"note": "x" * size}
                # JSON, where an endpoint also takes multipart (the import's file)
                cases.append(
                    operation.Case(path_parameters=path, body=body, media_type="application/json")
                )
        for case in cases:
            try:
                response = case.call_and_validate(
                    base_url=live_server.url, headers=headers, checks=CHECKS
                )
                statuses.add(response.status_code)
            except Exception as error:
                failures.append(f"{operation.label}: {error}")

    assert not failures, "\n\n".join(failures)
    assert 413 in statuses and 400 in statuses
