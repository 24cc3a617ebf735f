import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from paragraphs.models import Actor, Obligation, Paragraph, Resolution
from reports.alerts import clock as alert_clock
from reports.models import Alert, Deadline, DeadlineSummary, Schedule


def _generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", *args, stdout=out)
    return out.getvalue()


def _sizes():
    return (
        Resolution.objects.count(),
        Paragraph.objects.count(),
        Obligation.objects.count(),
        Obligation.history.count(),
        Schedule.objects.count(),
        Deadline.objects.count(),
        Deadline.history.count(),
        Actor.objects.count(),
        Alert.objects.count(),
        DeadlineSummary.objects.count(),
    )


def test_generate_makes_the_requested_sizes_marked_synthetic(res2692):
    before = Resolution.objects.count()

    _generate(
        "--resolutions", "3", "--obligations", "10", "--deadlines", "25", "--today", "2026-01-01"
    )

    synthetic = Resolution.objects.filter(is_synthetic=True)
    assert synthetic.count() == 3
    assert Resolution.objects.count() == before + 3
    assert Obligation.objects.filter(paragraph__resolution__in=synthetic).count() == 10
    deadlines = Deadline.objects.filter(schedule__obligation__paragraph__resolution__in=synthetic)
    assert deadlines.count() == 25
    today = dt.date(2026, 1, 1)
    assert not deadlines.filter(circulated_on__gt=today).exists()
    assert not deadlines.filter(due_on__gte=today).exclude(state="open").exists()
    midnight = dt.datetime(2026, 1, 1, 5, tzinfo=dt.UTC)  # in New York
    assert all(d.next_alert_at >= midnight for d in deadlines.filter(state="open"))
    assert not deadlines.exclude(state="open").exclude(next_alert_at=None).exists()
    summaries = DeadlineSummary.objects.filter(obligation__paragraph__resolution__in=synthetic)
    assert sum(summaries.values_list("deadlines", flat=True)) == 25
    assert sum(summaries.values_list("open", flat=True)) == deadlines.filter(state="open").count()


def test_generated_history_is_dated_at_adoption(db):
    _generate(
        "--resolutions", "1", "--obligations", "2", "--deadlines", "4", "--today", "2026-01-01"
    )

    resolution = Resolution.objects.get(is_synthetic=True)
    record = Obligation.history.filter(paragraph__resolution=resolution).earliest()
    assert record.history_date.date() == resolution.adopted_on
    assert record.history_user.username == "system"


def test_remove_deletes_synthetic_rows_their_history_and_alerts_only(res2692):
    real = _sizes()
    _generate(
        "--resolutions", "2", "--obligations", "6", "--deadlines", "12", "--today", "2026-01-01"
    )
    alert_clock.tick(now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert Alert.objects.exists()

    _generate("--remove")

    assert _sizes() == real


@pytest.mark.django_db
def test_generate_refuses_impossible_sizes():
    with pytest.raises(CommandError, match="at least one"):
        _generate("--resolutions", "5", "--obligations", "2")
    assert Resolution.objects.count() == 0
