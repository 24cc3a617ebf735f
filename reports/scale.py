"""Synthetic portfolios for benchmarks: many resolutions, obligations and deadlines.

Everything made here is marked (`Resolution.is_synthetic`, actors coded `synthetic-…`) so
it can be removed without touching real data. Rows are bulk-inserted with their history
("created" records dated at adoption), so "as of" views see them like real data.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from paragraphs.enums import (
    ObligationKind,
    ObligationStatus,
    ParagraphKind,
    TextLanguage,
    VerbCategory,
)
from paragraphs.history import noon_utc, system_user
from paragraphs.models import (
    Actor,
    Obligation,
    Paragraph,
    ParagraphText,
    Resolution,
    resolution_symbol,
)
from reports import schedule as rules
from reports.alerts import rules as alert_rules
from reports.enums import DeadlineState, ScheduleKind
from reports.models import (
    Alert,
    AlertDelivery,
    Deadline,
    DeadlineSummary,
    Schedule,
    Subscription,
)
from reports.services import obligation_deadlines_refresh

FIRST_NUMBER = 100_000
BATCH = 2_000
SYNTHETIC_ACTOR_PREFIX = "synthetic-"


@dataclass(frozen=True)
class ScaleSpec:
    resolutions: int
    obligations: int
    deadlines: int
    today: dt.date
    seed: int = 2692


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@transaction.atomic
def generate(spec: ScaleSpec) -> dict[str, int]:
    """Create the portfolio; returns how many rows of each kind were made.

    1. Resolutions adopted over the six years before `today`, one mandate year each.
    2. One operative paragraph and one obligation per obligation asked for.
    3. One quarterly schedule per obligation, with its share of the deadlines: past ones
       mostly delivered (some late), a few waived, the rest open, each open one with its
       alert cursor.
    4. The obligations' derived deadline state, by the one service that owns it.
    """
    rng = random.Random(spec.seed)
    by = system_user()
    actors = [
        Actor.objects.get_or_create(
            code=f"{SYNTHETIC_ACTOR_PREFIX}{i}",
            defaults={"name_en": f"Synthetic actor {i}", "name_zh": f"合成行为体{i}"},
        )[0]
        for i in range(8)
    ]
    start = Resolution.objects.filter(is_synthetic=True).order_by("-number").first()
    first = start.number + 1 if start else FIRST_NUMBER
    resolutions = []
    for i in range(spec.resolutions):
        adopted = spec.today - dt.timedelta(days=rng.randrange(0, 6 * 365))
        resolutions.append(
            Resolution(
                number=first + i,
                year=adopted.year,
                symbol=resolution_symbol(first + i, adopted.year),
                adopted_on=adopted,
                title="Synthetic resolution (benchmark data)",
                # Open-ended: every generated deadline stays in a current period, so the
                # benchmarks measure the live figures over all of them.
                mandate_expires_on=None,
                is_synthetic=True,
            )
        )
    Resolution.objects.bulk_create(resolutions, batch_size=BATCH)

    paragraphs = []
    for resolution, count in zip(
        resolutions, _spread(spec.obligations, spec.resolutions), strict=True
    ):
        paragraphs += [
            Paragraph(
                resolution=resolution,
                kind=ParagraphKind.OPERATIVE,
                position=n,
                number=n,
                summary_en=f"Synthetic obligation {n}: report every three months.",
                verb_category=VerbCategory.REQUESTS,
            )
            for n in range(1, count + 1)
        ]
    Paragraph.objects.bulk_create(paragraphs, batch_size=BATCH)
    ParagraphText.objects.bulk_create(
        [
            ParagraphText(
                paragraph=p,
                language=TextLanguage.CHINESE,
                text=f"请合成行为体{p.number}每三个月提交报告；",
                lead_verb="请",
            )
            for p in paragraphs
        ],
        batch_size=BATCH,
    )

    obligations = []
    for paragraph in paragraphs:
        obligation = Obligation(
            paragraph=paragraph,
            key=f"syn-{paragraph.resolution.number}-op{paragraph.number}",
            summary=f"Synthetic report {paragraph.number} of {paragraph.resolution.symbol}",
            owner=rng.choice(actors),
            kind=ObligationKind.REPORT,
            status=rng.choice([ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS]),
        )
        obligations.append(_dated(obligation, paragraph.resolution.adopted_on))
    obligations = _bulk_with_history(obligations, Obligation, by)

    schedules = [
        _dated(
            Schedule(obligation=o, kind=ScheduleKind.RECURRING, label="Quarterly", every_months=3),
            o.paragraph.resolution.adopted_on,
        )
        for o in obligations
    ]
    schedules = _bulk_with_history(schedules, Schedule, by)

    # Alert cursors start at the beginning of `today`, as if the deadlines had been entered
    # through the services then.
    alerts_start = timezone.make_aware(dt.datetime.combine(spec.today, dt.time()))
    deadlines = []
    for schedule, count in zip(schedules, _spread(spec.deadlines, len(schedules)), strict=True):
        adopted = schedule.obligation.paragraph.resolution.adopted_on
        for sequence in range(1, count + 1):
            due = rules.add_months(adopted, 3 * sequence)
            deadline = _dated(
                Deadline(schedule=schedule, sequence=sequence, due_on=due, scheduled_on=due),
                adopted,
            )
            roll = rng.random()
            if due < spec.today and roll < 0.8:
                late = rng.random() < 0.3
                delivered = due + dt.timedelta(
                    days=rng.randint(2, 20) if late else -rng.randint(0, 5)
                )
                deadline.state = DeadlineState.DELIVERED
                deadline.circulated_on = min(delivered, spec.today)
            elif due < spec.today and roll < 0.85:
                deadline.state = DeadlineState.WAIVED
                deadline.waived_reason = "Synthetic waiver"
            deadline.next_alert_at = alert_rules.cursor(
                deadline.alert_plan(), previous=None, now=alerts_start
            )
            deadlines.append(deadline)
    _bulk_with_history(deadlines, Deadline, by)
    # The owner of the derived state, as every write path: the cursors set above are
    # where it puts them, so it only counts the summaries.
    obligation_deadlines_refresh(obligation_ids=[o.pk for o in obligations], now=alerts_start)
    return {
        "resolutions": len(resolutions),
        "obligations": len(obligations),
        "deadlines": len(deadlines),
    }


def _dated(instance, day: dt.date):
    """The "created" history record of a bulk insert is dated at `day`, like a real load."""
    instance._history_date = noon_utc(day)
    return instance


def _bulk_with_history(objects, model, by):
    """Insert rows and their history records in batches; returns them with primary keys."""
    return bulk_create_with_history(
        objects, model, batch_size=BATCH, default_user=by, default_change_reason="Synthetic data"
    )


@transaction.atomic
def remove() -> dict[str, int]:
    """Delete every synthetic row, its history, alerts and subscriptions; real data stays.

    Rows are deleted in SQL, without per-object signals: a signal per row would write a
    "deleted" history record for each of them, which is exactly what must not remain.
    """
    resolutions = Resolution.objects.filter(is_synthetic=True)
    obligations = Obligation.objects.filter(paragraph__resolution__in=resolutions)
    schedules = Schedule.objects.filter(obligation__in=obligations)
    deadlines = Deadline.objects.filter(schedule__in=schedules)
    counts = {
        "deadlines": deadlines.count(),
        "obligations": obligations.count(),
        "resolutions": resolutions.count(),
    }
    for queryset in (
        AlertDelivery.objects.filter(alert__deadline__in=deadlines),
        Alert.objects.filter(deadline__in=deadlines),
        Deadline.history.filter(schedule_id__in=schedules.values("id")),
        deadlines,
        DeadlineSummary.objects.filter(obligation__in=obligations),
        Schedule.history.filter(obligation_id__in=obligations.values("id")),
        schedules,
        Obligation.contributors.through.objects.filter(obligation__in=obligations),
        Subscription.objects.filter(
            Q(resolution__in=resolutions) | Q(actor__code__startswith=SYNTHETIC_ACTOR_PREFIX)
        ),
        Obligation.history.filter(paragraph__resolution__in=resolutions),
        obligations,
        Paragraph.cites.through.objects.filter(paragraph__resolution__in=resolutions),
        ParagraphText.objects.filter(paragraph__resolution__in=resolutions),
        Paragraph.objects.filter(resolution__in=resolutions),
        Resolution.references.through.objects.filter(from_resolution__in=resolutions),
        resolutions,
        Actor.objects.filter(code__startswith=SYNTHETIC_ACTOR_PREFIX, owned_obligations=None),
    ):
        queryset._raw_delete(queryset.db)
    return counts
