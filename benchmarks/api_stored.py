"""A page of obligations read from its stored JSON, and rendered afresh, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_api DJANGO_SECRET_KEY=bench \\
        DJANGO_DEBUG=0 DJANGO_HTTPS=0 .venv/bin/python benchmarks/api_stored.py

`benchmarks/api.sh` measures the list as a client polling it sees it: after the first
request every row's JSON is stored (reports.obligation_json), so it measures the stored
path. This script measures both paths, through Django's WSGI handler with a read-only
token (the whole middleware stack, DRF, the rate count in Redis; no network): the first
page of 50, in id order and filtered by status, (a) with every row's JSON current and
(b) with none stored, so that each request renders the page's rows and stores them (the
first walk of a sync, or the first read after a rename). Between (b)'s requests the
stored rows are deleted, outside the timing. Medians of `--repeat` requests each.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mandate_tracker.settings")
os.environ.setdefault("API_RATE_TOKEN", "1000000000")  # measure the pages, not the limit

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from paragraphs.models import ApiToken  # noqa: E402
from paragraphs.services import api_token_create, api_token_revoke  # noqa: E402
from reports.models import ObligationJson  # noqa: E402

USERNAME = "benchmark-stored"
PAGES = {"id order": "page_size=50", "status=in_progress": "page_size=50&status=in_progress"}


def _request(app, token: str, query: str) -> bytes:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/obligations/",
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "HTTP_AUTHORIZATION": f"Bearer {token}",
    }
    statuses = []
    body = b"".join(app(environ, lambda status, headers, *args: statuses.append(status)))
    assert statuses == ["200 OK"], (statuses, body[:300])
    return body


def _median(app, token: str, query: str, repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        _request(app, token, query)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.groups.add(Group.objects.get(name="manager"))
    token, text = api_token_create(
        user=user, name=f"{USERNAME} {time.time()}", read_only=True, by=user
    )
    app = WSGIHandler()
    try:
        print("| Page of 50 | Stored JSON current | Rendered and stored | Ratio |")
        print("|---|---:|---:|---:|")
        for label, query in PAGES.items():
            for _ in range(20):  # warm: connections, prepared statements, the token
                stored = _request(app, text, query)
            warm = _median(app, text, query, args.repeat)
            cold = _median(
                app, text, query, args.repeat, before=lambda: ObligationJson.objects.all().delete()
            )
            assert _request(app, text, query) == stored  # the same bytes either way
            print(f"| {label} | {warm * 1e3:.2f} ms | {cold * 1e3:.2f} ms | {cold / warm:.1f}× |")
    finally:
        api_token_revoke(token=ApiToken.objects.get(pk=token.pk), by=user)


if __name__ == "__main__":
    main()
