"""Every obligation has a deadline summary from the moment it is inserted (migration 0009),
which the API's join to the summaries relies on."""

import json

from paragraphs.models import Obligation
from reports.models import DeadlineSummary
from tests.factories import ObligationFactory
from tests.test_settings import _run

ZEROS = {
    "next_deadline": None,
    "deadlines": 0,
    "open": 0,
    "delivered_on_time": 0,
    "delivered_late": 0,
    "waived": 0,
}


def _summaries(obligations) -> list[dict]:
    rows = DeadlineSummary.objects.filter(obligation__in=obligations).order_by("obligation")
    return list(rows.values(*ZEROS))


def test_an_obligation_gets_a_summary_of_zeros_as_it_is_inserted(db):
    created = ObligationFactory()
    bulk = Obligation.objects.bulk_create(
        [
            ObligationFactory.build(paragraph=created.paragraph, owner=created.owner)
            for _n in range(3)
        ]
    )

    assert _summaries([created]) == [ZEROS]
    assert _summaries(bulk) == [ZEROS] * 3


def test_the_summary_is_left_alone_when_the_obligation_changes(db):
    obligation = ObligationFactory()
    DeadlineSummary.objects.filter(obligation=obligation).update(deadlines=2, open=2)

    obligation.note = "Changed"
    obligation.save()

    assert _summaries([obligation]) == [{**ZEROS, "deadlines": 2, "open": 2}]


COUNT_SUMMARIES = """
import json
from paragraphs.models import Obligation
from reports.models import DeadlineSummary
print(json.dumps({
    "obligations": Obligation.objects.count(),
    "summaries": DeadlineSummary.objects.count(),
    "without": Obligation.objects.filter(deadline_summary__isnull=True).count(),
}))
"""


def test_sqlite_for_make_run_gets_the_same_trigger(tmp_path):
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    for command in (["migrate", "-v0"], ["load_2692"]):
        result = _run(["manage.py", *command], **env)
        assert result.returncode == 0, result.stderr

    counted = _run(["manage.py", "shell", "-v0", "-c", COUNT_SUMMARIES], **env)

    figures = json.loads(counted.stdout)
    assert figures["obligations"] > 0
    assert figures["summaries"] == figures["obligations"]
    assert figures["without"] == 0
