"""Page 1 against page 2,000 of the obligations list on 100,000 obligations, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_pages DJANGO_SECRET_KEY=bench \\
        DJANGO_DEBUG=0 DJANGO_HTTPS=0 .venv/bin/python benchmarks/api_pages.py

The issue asks for pages that cost as much deep in a large table as at its start (keyset
pages: no OFFSET, no COUNT). The database needs 100,000 or more obligations; make them
once with `manage.py generate_scale_data --resolutions 1000 --obligations 100000
--deadlines 300000`. For each ordering and a filtered list, the script follows the `next`
links from page 1 to page 2,000 (or the filter's last full page), checking that no row
comes twice, then times page 1 and then the deep page through Django's test client
with a read-only token (routing, authentication, the rate count in Redis, queries and
JSON; no network) and counts their queries.
"""

import argparse
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
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from paragraphs.models import Obligation  # noqa: E402
from paragraphs.services import api_token_create, api_token_revoke  # noqa: E402

LISTS = {
    "id order (the default)": "",
    "ordering=updated_at": "&ordering=updated_at",
    "ordering=next_deadline": "&ordering=next_deadline",
    "status=in_progress": "&status=in_progress",
}
PAGE_SIZE = 50
DEEP_PAGE = 2000
USERNAME = "benchmark-pages"


def _get(client: Client, url: str, token: str) -> dict:
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def _deep_url(client: Client, first: str, token: str) -> tuple[str, int]:
    """The URL of page DEEP_PAGE (or the last full page before it), walked by `next`."""
    seen, url, page = set(), first, 1
    while True:
        body = _get(client, url, token)
        ids = [row["id"] for row in body["results"]]
        assert not seen.intersection(ids), f"a row came twice by page {page}"
        seen.update(ids)
        if page == DEEP_PAGE or body["next"] is None or len(ids) < PAGE_SIZE:
            return url, page
        url, page = body["next"], page + 1


def _time(client: Client, url: str, token: str, repeat: int) -> tuple[float, int]:
    """Median wall time of `repeat` requests, and the number of queries of one."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, url, token)
        samples.append(time.perf_counter() - started)
    reset_queries()
    connection.force_debug_cursor = True
    _get(client, url, token)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return statistics.median(samples), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per page")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run the benchmark against PostgreSQL (set DATABASE_URL).", file=sys.stderr)
        return 2
    total = Obligation.objects.count()
    if total < PAGE_SIZE * DEEP_PAGE:
        print(f"{total} obligations: generate 100,000 first (see above).", file=sys.stderr)
        return 2
    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    user.groups.add(Group.objects.get(name="manager"))
    token, text = api_token_create(user=user, name="benchmark pages", read_only=True, by=user)
    client = Client()
    results = {}
    try:
        for name, query in LISTS.items():
            first = f"/api/v1/obligations/?page_size={PAGE_SIZE}{query}"
            started = time.perf_counter()
            deep, page = _deep_url(client, first, text)
            walked = time.perf_counter() - started
            print(f"{name}: walked to page {page} in {walked:.1f}s", flush=True)
            for warm_up in (first, deep, first, deep):
                _get(client, warm_up, text)
            first_time, first_queries = _time(client, first, text, args.repeat)
            deep_time, deep_queries = _time(client, deep, text, args.repeat)
            results[name] = (page, first_time, deep_time, first_queries, deep_queries)
    finally:
        api_token_revoke(token=token, by=user)

    print(f"\n{total} obligations; median of {args.repeat} requests, in ms")
    print(f"{'list':<26} {'page 1':>8} {'deep page':>16} {'ratio':>6} {'queries':>8}")
    for name, (page, first_time, deep_time, first_queries, deep_queries) in results.items():
        queries = f"{first_queries}" if first_queries == deep_queries else "differ"
        print(
            f"{name:<26} {first_time * 1000:>8.2f} {deep_time * 1000:>8.2f} (p. {page:>4}) "
            f"{deep_time / first_time:>6.2f} {queries:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
