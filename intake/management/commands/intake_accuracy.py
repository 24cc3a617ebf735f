import json

from django.core.management.base import BaseCommand

from intake.accuracy import CORPUS, MEASURES, Report, Score, measure


def _figures(scores: dict[str, Score]) -> dict:
    return {
        name: {
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "right": score.right,
            "proposed": score.proposed,
            "expected": score.expected,
        }
        for name, score in scores.items()
    }


class Command(BaseCommand):
    help = (
        "Measure the intake on the labelled resolutions (tests/intake/corpus): precision "
        "and recall of structure, lead verbs, addressees and deadlines, per file and "
        "overall, and the list of misses. Uses no database."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--corpus", default=str(CORPUS), help="The labelled set's folder.")

    def handle(self, *args, **options):
        from pathlib import Path

        report = measure(Path(options["corpus"]))
        if options["json"]:
            self.stdout.write(json.dumps(self._json(report), ensure_ascii=False, indent=2))
            return
        self._text(report)

    def _json(self, report: Report) -> dict:
        return {
            "files": [
                {
                    "symbol": row.symbol,
                    "file": row.file,
                    "held_out": row.held_out,
                    "error": row.error,
                    "scores": _figures(row.scores),
                    "misses": row.misses,
                }
                for row in report.rows
            ],
            "overall": _figures(report.total()),
            "tuned": _figures(report.total(held_out=False)),
            "held_out": _figures(report.total(held_out=True)),
        }

    def _text(self, report: Report) -> None:
        header = f"{'file':<38}" + "".join(f"{m:>22}" for m in MEASURES)
        self.stdout.write(header)
        self.stdout.write(f"{'':<38}" + "".join(f"{'precision / recall':>22}" for _ in MEASURES))
        for row in report.rows:
            self.stdout.write(
                self._line(row.file + (" (held out)" if row.held_out else ""), row.scores)
            )
        self.stdout.write("")
        self.stdout.write(self._line("tuned on", report.total(held_out=False)))
        self.stdout.write(self._line("held out", report.total(held_out=True)))
        self.stdout.write(self._line("overall", report.total()))
        misses = [(row.file, miss) for row in report.rows for miss in row.misses]
        self.stdout.write("")
        self.stdout.write(f"Misses ({len(misses)}):" if misses else "No misses.")
        for name, miss in misses:
            self.stdout.write(f"  {name}: {miss}")

    @staticmethod
    def _line(label: str, scores: dict[str, Score]) -> str:
        cells = "".join(
            f"{scores[m].precision:>11.1%} / {scores[m].recall:>6.1%}" for m in MEASURES
        )
        return f"{label:<38}{cells}"
