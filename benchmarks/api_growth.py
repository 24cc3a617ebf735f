"""How the obligations API grows from 1,000 to 100,000 obligations, against PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_growth DJANGO_SECRET_KEY=bench \\
        DJANGO_DEBUG=0 DJANGO_HTTPS=0 .venv/bin/python benchmarks/api_growth.py

It migrates the database, replaces any synthetic data with 1,000 obligations (one
resolution per hundred), measures, grows the portfolio to 100,000 and measures again:

1. Page 1 of the list (50 rows) at each size, and at 100,000 page 2,000 (reached by its
   `next` links): the median of many requests through Django's test client with a
   read-only token (routing, authentication, rate count, queries, JSON; no network), and
   the queries of each.
2. A full sync at 100,000: every page of 200, following `next`, against PostgreSQL itself
   producing the same rows as JSON with `json_agg` over the same query (the rows the
   view reads, contributors included), timed on the same connection.

Nothing is cached between requests: every page reads and renders its rows. Use a
database of your own: the synthetic data is replaced.
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
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from paragraphs.models import Obligation  # noqa: E402
from paragraphs.services import api_token_create  # noqa: E402
from reports.selectors import obligation_rows  # noqa: E402

LIST = "/api/v1/obligations/"
PAGE_SIZE = 50
DEEP_PAGE = 2000
SYNC_PAGE_SIZE = 200


def generate(obligations: int) -> None:
    call_command(
        "generate_scale_data",
        "--resolutions",
        str(max(1, obligations // 100)),
        "--obligations",
        str(obligations),
        "--deadlines",
        str(obligations * 3),
        verbosity=0,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def get(client: Client, url: str, token: str) -> dict:
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.json()


def timed(client: Client, url: str, token: str, repeat: int) -> tuple[float, int]:
    """Median wall time of `repeat` requests after a warm-up, and the queries of one."""
    for _ in range(5):
        get(client, url, token)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        get(client, url, token)
        samples.append(time.perf_counter() - started)
    reset_queries()
    connection.force_debug_cursor = True
    get(client, url, token)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return statistics.median(samples), queries


def deep_url(client: Client, token: str) -> str:
    url, seen = f"{LIST}?page_size={PAGE_SIZE}", set()
    for _page in range(1, DEEP_PAGE):
        body = get(client, url, token)
        ids = {row["id"] for row in body["results"]}
        assert not seen & ids, "a row came twice"
        seen |= ids
        url = body["next"]
    return url


def sync(client: Client, token: str) -> tuple[float, int]:
    """Every page of SYNC_PAGE_SIZE, following `next`: the wall time and the rows."""
    url, rows = f"{LIST}?page_size={SYNC_PAGE_SIZE}", 0
    started = time.perf_counter()
    while url:
        body = get(client, url, token)
        rows += len(body["results"])
        url = body["next"]
    return time.perf_counter() - started, rows


def json_agg_floor() -> tuple[float, int]:
    """PostgreSQL producing the rows the view reads (the same query: contributors
    included) as one JSON document, in id order: the least a sync could cost."""
    sql, params = obligation_rows().order_by("id").query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT json_agg(t), count(*) FROM ({sql}) t", params)
        _document, count = cursor.fetchone()
    return time.perf_counter() - started, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per figure")
    parser.add_argument("--syncs", type=int, default=3, help="full syncs (best is kept)")
    parser.add_argument(
        "--large-only",
        action="store_true",
        help="keep the data of an earlier run and measure the large figures only",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark against PostgreSQL (set DATABASE_URL).")
    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)
    user, _created = get_user_model().objects.get_or_create(username="benchmark-growth")
    user.groups.add(Group.objects.get(name="manager"))
    _token, token = api_token_create(user=user, name="benchmark", read_only=True, by=user)
    client = Client()

    if args.large_only:
        small_count, small, small_queries = 0, float("nan"), 0
    else:
        call_command("generate_scale_data", "--remove", verbosity=0)
        generate(args.small)
        small_count = Obligation.objects.count()
        small, small_queries = timed(client, f"{LIST}?page_size={PAGE_SIZE}", token, args.repeat)
        started = time.perf_counter()
        generate(args.large - small_count)
        print(f"Grew to {Obligation.objects.count()} in {time.perf_counter() - started:.0f}s")
    large_count = Obligation.objects.count()
    large, large_queries = timed(client, f"{LIST}?page_size={PAGE_SIZE}", token, args.repeat)
    deep, deep_queries = timed(client, deep_url(client, token), token, args.repeat)

    syncs = [sync(client, token) for _ in range(args.syncs)]
    sync_time, synced = min(syncs)
    floors = [json_agg_floor() for _ in range(args.syncs)]
    floor_time, floor_rows = min(floors)
    assert synced == floor_rows == large_count

    print("\n| figure | time | queries |\n|---|---:|---:|")
    print(f"| page 1 at {small_count:,} | {small * 1000:.2f} ms | {small_queries} |")
    print(f"| page 1 at {large_count:,} | {large * 1000:.2f} ms | {large_queries} |")
    print(f"| page {DEEP_PAGE:,} at {large_count:,} | {deep * 1000:.2f} ms | {deep_queries} |")
    print(f"| full sync, pages of {SYNC_PAGE_SIZE} | {sync_time:.2f} s | |")
    print(f"| json_agg of the same rows | {floor_time:.2f} s | 1 |")
    print(
        f"\npage 1 at {large_count:,} / at {small_count:,}: {large / small:.2f}× (aim ≤ 1.5×)"
        f"\npage {DEEP_PAGE:,} / page 1: {deep / large:.2f}× (aim ≤ 1.2×)"
        f"\nfull sync / json_agg: {sync_time / floor_time:.1f}× (aim ≤ 5×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
