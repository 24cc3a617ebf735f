import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import scale


class Command(BaseCommand):
    help = (
        "Create a synthetic portfolio for benchmarks (marked synthetic, removable with --remove), "
        "e.g. --resolutions 200 --obligations 10000 --deadlines 50000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--resolutions", type=int, default=200)
        parser.add_argument("--obligations", type=int, default=10_000)
        parser.add_argument("--deadlines", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2692)
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--remove", action="store_true", help="Delete all synthetic data instead."
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["remove"]:
            counts = scale.remove()
            verb = "Removed"
        else:
            if not 0 < options["resolutions"] <= options["obligations"]:
                raise CommandError(
                    "Need at least one resolution and one obligation per resolution."
                )
            if options["deadlines"] < 0:
                raise CommandError("--deadlines cannot be negative.")
            spec = scale.ScaleSpec(
                resolutions=options["resolutions"],
                obligations=options["obligations"],
                deadlines=options["deadlines"],
                today=options["today"] or timezone.localdate(),
                seed=options["seed"],
            )
            counts = scale.generate(spec)
            verb = "Created"
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} synthetic {summary} in {elapsed:.1f}s."))
