"""What a filtered list pays to build and check its filters, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mt_api DJANGO_DEBUG=1 \\
        .venv/bin/python benchmarks/api_filters.py

A filtered page of obligations (`?status=in_progress&kind=report`) makes a FilterSet, its
form, validates the parameters and builds the queryset of the page's ids before any row
is read. This times that step alone (no query is run), `--repeat` times a round, and
prints the median round's CPU time per request (a thread's CPU time: the machine's other
work does not count).
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

from django.http import QueryDict  # noqa: E402

from reports.api.filters import ObligationFilter  # noqa: E402
from reports.selectors import obligations_for_api  # noqa: E402

QUERY = "status=in_progress&kind=report"


def _filtered():
    filterset = ObligationFilter(data=QueryDict(QUERY), queryset=obligations_for_api())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    for _ in range(200):  # warm
        _filtered()
    rounds = []
    for _ in range(args.rounds):
        start = time.thread_time()
        for _ in range(args.repeat):
            _filtered()
        rounds.append((time.thread_time() - start) / args.repeat)
    print(
        f"?{QUERY}: {statistics.median(rounds) * 1e6:.0f} µs a request "
        f"(rounds {min(rounds) * 1e6:.0f}-{max(rounds) * 1e6:.0f})"
    )


if __name__ == "__main__":
    main()
