"""How well the intake reads and proposes, measured on a labelled set of resolutions.

Each `<stem>.truth.yaml` under the corpus lists the files to read (the same resolution as
text, PDF copy, Word, PDF, other encodings) and what an analyst expects. For S/RES/2692
(2023) the addressees and deadlines are not copied into the truth file: they are read
from the curated data (reports/data/s-res-2692-2023.yaml) each time, so a correction
there is measured at once.

Four measures, each as precision (what was proposed and is right) and recall (what is
right and was proposed), over sets of items:

- structure: each preambular position, each operative number, each annex, and the
  header (symbol, adoption date, meeting, mandate, expiry, references);
- lead verbs: (paragraph, lead verb as written, category);
- addressees: (paragraph, actor code), owners and contributors alike;
- deadlines: (paragraph, due date). A date proposed and not expected is invented.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from intake.document import read_document
from intake.errors import IntakeError
from intake.model import Reading
from reports.schedule import Every, due_dates

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "intake" / "corpus"
MEASURES = ("structure", "lead_verbs", "addressees", "deadlines")


@dataclass
class Score:
    proposed: int = 0
    expected: int = 0
    right: int = 0

    def add(self, proposed: set, expected: set) -> tuple[set, set]:
        self.proposed += len(proposed)
        self.expected += len(expected)
        self.right += len(proposed & expected)
        return expected - proposed, proposed - expected

    @property
    def precision(self) -> float:
        return self.right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def merge(self, other: "Score") -> None:
        self.proposed += other.proposed
        self.expected += other.expected
        self.right += other.right


@dataclass
class Row:
    symbol: str
    file: str
    held_out: bool
    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in MEASURES})
    misses: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    rows: list[Row]

    def total(self, held_out: bool | None = None) -> dict[str, Score]:
        totals = {m: Score() for m in MEASURES}
        for row in self.rows:
            if held_out is None or row.held_out == held_out:
                for measure in MEASURES:
                    totals[measure].merge(row.scores[measure])
        return totals


def load_truth(path: Path, root: Path = ROOT) -> dict:
    truth = yaml.safe_load(path.read_text(encoding="utf-8"))
    if truth.get("curated"):
        _add_curated(truth, root / truth["curated"])
    return truth


def _add_curated(truth: dict, path: Path) -> None:
    """Addressees and deadlines of each paragraph from the analysts' curated data."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    adopted = truth["adopted_on"]
    expires = data["resolution"]["mandate_expires_on"]
    schedules = {}
    for paragraph in data["paragraphs"].values():
        for obligation in paragraph.get("obligations") or []:
            for schedule in obligation.get("schedules") or []:
                schedules.setdefault(obligation["key"], schedule)

    def dates(schedule: dict) -> list[dt.date]:
        kind = schedule["kind"]
        if kind == "within_days":
            return [adopted + dt.timedelta(days=schedule["within_days"])]
        if kind == "on_date":
            return [schedule["on"]]
        if kind == "mandate_expiry":
            return [expires]
        if kind == "recurring":
            rule = Every(
                anchor=schedule.get("anchor_on", adopted),
                until=schedule.get("until", expires),
                days=schedule.get("every_days"),
                months=schedule.get("every_months"),
            )
            return due_dates(rule)
        if kind == "aligned":
            return dates(schedules[schedule["aligned_to"]])
        raise ValueError(f"unknown schedule kind {kind}")

    for number, paragraph in data["paragraphs"].items():
        addressees, deadlines = set(), set()
        for obligation in paragraph.get("obligations") or []:
            addressees.add(obligation["owner"])
            addressees.update(obligation.get("contributors") or [])
            for schedule in obligation.get("schedules") or []:
                deadlines.update(dates(schedule))
        entry = truth["operative"].setdefault(int(number), {})
        entry["addressees"] = sorted(addressees)
        entry["deadlines"] = sorted(deadlines)


def _structure(reading: Reading) -> set:
    items = {("preambular", p.position) for p in reading.preambular}
    items |= {("operative", p.number) for p in reading.operative}
    items |= {("annex", i) for i in range(1, len(reading.annexes) + 1)}
    items |= {
        ("symbol", reading.symbol),
        ("adopted_on", reading.adopted_on),
        ("meeting", reading.meeting),
        ("mandate", reading.mandate),
        ("mandate_expires_on", reading.mandate_expires_on),
        ("references", tuple(reading.references)),
    }
    return items


def _expected_structure(truth: dict) -> set:
    items = {("preambular", i) for i in range(1, truth["preambular"] + 1)}
    items |= {("operative", n) for n in truth["operative"]}
    items |= {("annex", i) for i in range(1, truth.get("annexes", 0) + 1)}
    items |= {
        ("symbol", truth["symbol"]),
        ("adopted_on", truth["adopted_on"]),
        ("meeting", truth["meeting"]),
        ("mandate", truth.get("mandate")),
        ("mandate_expires_on", truth.get("mandate_expires_on")),
        ("references", tuple(truth.get("references", ()))),
    }
    return items


def score_reading(reading: Reading, truth: dict, row: Row) -> None:
    """Score one reading against its truth, adding what was missed or invented."""
    expected_ops = truth["operative"]
    measures = {
        "structure": (_structure(reading), _expected_structure(truth)),
        "lead_verbs": (
            {(p.number, p.lead_verb, p.category) for p in reading.operative},
            {(n, e["lead_verb"], e["category"]) for n, e in expected_ops.items()},
        ),
        "addressees": (
            {
                (p.number, a.code)
                for p in reading.operative
                for q in p.proposals
                for a in q.addressees
            },
            {(n, code) for n, e in expected_ops.items() for code in e.get("addressees", [])},
        ),
        "deadlines": (
            {
                (p.number, day)
                for p in reading.operative
                for q in p.proposals
                if q.schedule
                for day in q.schedule.due_dates
            },
            {(n, day) for n, e in expected_ops.items() for day in e.get("deadlines", [])},
        ),
    }
    for measure, (proposed, expected) in measures.items():
        missed, invented = row.scores[measure].add(proposed, expected)
        for item in sorted(missed, key=str):
            row.misses.append(f"{measure}: missed {_show(item)}")
        for item in sorted(invented, key=str):
            row.misses.append(f"{measure}: not expected {_show(item)}")


def _show(item) -> str:
    if isinstance(item, tuple) and item and isinstance(item[0], int):
        head, *rest = item
        return f"op {head}: " + ", ".join(str(x) for x in rest)
    return ", ".join(str(x) for x in item)


def measure(corpus: Path = CORPUS, root: Path = ROOT) -> Report:
    """Read every file of every labelled resolution and score it."""
    rows = []
    for truth_path in sorted(corpus.glob("*.truth.yaml")):
        truth = load_truth(truth_path, root)
        for name in truth["files"]:
            row = Row(truth["symbol"], name, bool(truth.get("held_out")))
            try:
                reading = read_document((corpus / name).read_bytes(), filename=name)
            except IntakeError as error:
                row.error = f"{error.code}: {error.message}"
                _score_failure(row, truth)
            else:
                score_reading(reading, truth, row)
            rows.append(row)
    return Report(rows)


def _score_failure(row: Row, truth: dict) -> None:
    empty: dict = defaultdict(set)
    expected = {
        "structure": _expected_structure(truth),
        "lead_verbs": {(n, e["lead_verb"], e["category"]) for n, e in truth["operative"].items()},
        "addressees": {
            (n, c) for n, e in truth["operative"].items() for c in e.get("addressees", [])
        },
        "deadlines": {
            (n, d) for n, e in truth["operative"].items() for d in e.get("deadlines", [])
        },
    }
    for measure_name, items in expected.items():
        row.scores[measure_name].add(empty[measure_name], items)
    row.misses.append(f"error: {row.error}")
