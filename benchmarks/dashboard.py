"""Times the manager dashboard at 500 and at 50,000 deadlines in one run; prints the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_bench DJANGO_SECRET_KEY=bench \\
        DJANGO_HTTPS=0 .venv/bin/python benchmarks/dashboard.py

The database is migrated, then for each size a synthetic portfolio is generated
(`reports.scale`, the code behind `generate_scale_data`), the pages are requested in
process through Django's test client (routing, queries and template rendering; no network),
and the synthetic rows are removed again. Real data in the database is left alone. The
goal is a dashboard ratio under 2: a page that stays fast as the portfolio grows.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mandate_tracker.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from reports import scale  # noqa: E402

SIZES = {
    "small": {"resolutions": 2, "obligations": 100, "deadlines": 500},
    "large": {"resolutions": 200, "obligations": 10_000, "deadlines": 50_000},
}
PAGES = {
    "dashboard": "/dashboard/",
    "dashboard, one owner": "/dashboard/?owner=synthetic-3",
    "dashboard as of 1 year ago": "/dashboard/?as_of={year_ago}",
    "calendar": "/dashboard/calendar/",
}
USERNAME = "benchmark-viewer"


def _time(client: Client, path: str, repeat: int) -> tuple[float, float, int]:
    """Median and fastest wall time of `repeat` requests after two warm-ups, and the
    number of queries. On a shared machine the fastest run is the one least disturbed by
    other processes, so both are printed."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    reset_queries()
    connection.force_debug_cursor = True
    client.get(path)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return statistics.median(samples), min(samples), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run the benchmark against PostgreSQL (set DATABASE_URL).", file=sys.stderr)
        return 2
    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0)
    scale.remove()
    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    user.groups.add(Group.objects.get(name="viewer"))
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1)
    results = {}
    try:
        for size, spec in SIZES.items():
            started = time.perf_counter()
            made = scale.generate(scale.ScaleSpec(today=today, **spec))
            print(
                f"{size}: generated {made['deadlines']} deadlines, {made['obligations']} "
                f"obligations, {made['resolutions']} resolutions in "
                f"{time.perf_counter() - started:.1f}s",
                flush=True,
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after the bulk insert
            for name, path in PAGES.items():
                results[size, name] = _time(
                    client, path.format(year_ago=year_ago.isoformat()), args.repeat
                )
            scale.remove()
    finally:
        scale.remove()
        get_user_model().objects.filter(username=USERNAME).delete()

    print(f"\nmedian (fastest) of {args.repeat} requests, in ms")
    print(f"{'page':<28} {'500 deadlines':>14} {'50,000':>14} {'ratio':>12} {'queries':>8}")
    for name in PAGES:
        small_median, small_min, small_queries = results["small", name]
        large_median, large_min, large_queries = results["large", name]
        queries = (
            str(small_queries)
            if small_queries == large_queries
            else f"{small_queries}/{large_queries}"
        )
        print(
            f"{name:<28} {small_median * 1000:>7.0f} ({small_min * 1000:>4.0f}) "
            f"{large_median * 1000:>7.0f} ({large_min * 1000:>4.0f}) "
            f"{large_median / small_median:>5.2f} ({large_min / small_min:.2f}) {queries:>8}"
        )
    small_median, small_min, _queries = results["small", "dashboard"]
    large_median, large_min, _queries = results["large", "dashboard"]
    print(
        f"\nDashboard ratio, 50,000 / 500 deadlines: {large_median / small_median:.2f} "
        f"(median), {large_min / small_min:.2f} (fastest); goal: under 2"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
