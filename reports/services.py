import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.exceptions import check_version
from paragraphs.history import stamp
from paragraphs.models import Obligation, Resolution
from paragraphs.services import obligation_update
from paragraphs.validators import (
    REASON_MAX_LENGTH,
    clean_document_symbol,
    clean_length,
    clean_reason,
    clean_tracked_date,
)
from reports.alerts import rules as alert_rules
from reports.enums import DeadlineState
from reports.models import (
    ALERT_PLAN_FIELDS,
    CalendarFeed,
    Deadline,
    DeadlineSummary,
    Schedule,
    alert_plan,
)
from reports.querysets import summary_aggregates

SUMMARY_BATCH = 2000
# A resolution's dates that its schedules derive deadlines from.
DATE_FIELDS = {"adopted_on", "mandate_expires_on"}
SUMMARY_FIELDS = [
    "next_deadline",
    "overdue_from",
    "deadlines",
    "open",
    "delivered_on_time",
    "delivered_late",
    "delivered_unconfirmed",
    "waived",
]
# `alert_plan`'s arguments, in the order of ALERT_PLAN_FIELDS.
PLAN_ARGUMENTS = (
    "state",
    "scheduled_on",
    "lead_days",
    "overdue_every_days",
    "tolerance_days",
    "period_ends_on",
)


def _locked_open(deadline: Deadline, expected_version: int | None = None) -> Deadline:
    locked = Deadline.objects.select_for_update().select_related("schedule").get(pk=deadline.pk)
    check_version(locked, expected_version)
    if locked.state != DeadlineState.OPEN:
        raise ValidationError(
            _("This deadline is already %(state)s; reopen it before changing it.")
            % {"state": locked.get_state_display().lower()},
            code="not_open",
        )
    return locked


DELIVERY_FIELDS = ("dated_on", "circulated_on", "delivered_by")


@transaction.atomic
def deadline_deliver(
    *,
    deadline: Deadline,
    by,
    circulated_on: dt.date | None = None,
    dated_on: dt.date | None = None,
    delivered_by: dt.date | None = None,
    evidence: str = "",
    document_symbol: str = "",
    note: str = "",
    also: tuple = (),
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Deadline:
    """Record that the report or action due was delivered, as far as it is known: the
    day it reached the Council (`circulated_on`), the date it bears (`dated_on`), or,
    when neither is confirmed, that it existed by a day (`delivered_by`) or how it is
    known (`evidence`, a `document_symbol`). An undated delivery counts as delivered,
    never as overdue, its timing unknown.

    1. Refuse dates in the future (of the moment recorded) or outside the tracked
       window, a malformed symbol, or a delivery that says nothing of when or how.
    2. Mark the deadline delivered, recorded as of `at` (default now); it stops alerting.
    3. Deliver with it the deadlines in `also` (an annex travelling with its report: open
       deadlines of schedules on the same cycle, at the same occurrence), with the same
       facts.
    4. Move the obligations forward: a first delivery means work is in progress; a
       report whose every deadline is settled is completed. All land in their history.
    """
    locked = _locked_open(deadline, expected_version)
    facts = _delivery_facts(
        at=at,
        circulated_on=circulated_on,
        dated_on=dated_on,
        delivered_by=delivered_by,
        evidence=evidence,
        document_symbol=document_symbol,
    )
    companions = _companions(locked, also)
    for target in [locked, *companions]:
        for name, value in facts.items():
            setattr(target, name, value)
        target.state = DeadlineState.DELIVERED
        target.version += 1
        companion_note = _("Delivered with %(deadline)s.") % {"deadline": locked}
        stamp(target, by=by, note=note if target is locked else companion_note, at=at)
        target.save(update_fields=["state", *facts, "version", "updated_at"])
    obligation_deadlines_refresh(
        obligation_ids={d.schedule.obligation_id for d in [locked, *companions]}
    )
    for target in [locked, *companions]:
        _advance_obligation(target, by=by, at=at)
    locked.refresh_from_db(fields=["next_alert_at"])
    return locked


def _delivery_facts(*, at, evidence: str, document_symbol: str, **dates) -> dict:
    """The fields a delivery writes, checked (step 1 of `deadline_deliver`)."""
    today = timezone.localdate(at or timezone.now())
    for name, value in dates.items():
        clean_tracked_date(value, field=name)
        if value is not None and value > today:
            raise ValidationError({name: _("The delivery date cannot be in the future.")})
    evidence = clean_length((evidence or "").strip(), REASON_MAX_LENGTH, field="evidence")
    document_symbol = clean_document_symbol(document_symbol)
    if not any(dates.values()) and not evidence and not document_symbol:
        raise ValidationError(
            _(
                "Say when it was delivered (the day it was circulated or the date it bears) "
                "or, if that is not confirmed, a day by which it existed or how it is known."
            ),
            code="delivery_unknown",
        )
    return {**dates, "delivery_evidence": evidence, "document_symbol": document_symbol}


def _companions(deadline: Deadline, ids) -> list[Deadline]:
    """The open deadlines `ids`, each on the same cycle as `deadline` (its schedule is
    aligned to `deadline`'s) and at the same occurrence; refused otherwise."""
    ids = set(ids)
    if not ids:
        return []
    companions = list(
        Deadline.objects.select_for_update()
        .select_related("schedule")
        .filter(
            pk__in=ids,
            state=DeadlineState.OPEN,
            sequence=deadline.sequence,
            schedule__aligned_to=deadline.schedule_id,
        )
        .order_by("pk")
    )
    if len(companions) != len(ids):
        raise ValidationError(
            {
                "also": _(
                    "Only open deadlines on the same cycle, at the same occurrence, can go with it."
                )
            }
        )
    return companions


def deadlines_on_the_same_cycle(deadlines) -> dict[int, list[Deadline]]:
    """For each of `deadlines` (by pk), the open deadlines that could be delivered with it
    (`deadline_deliver`'s `also`): an annex of the same report, say. One query."""
    by_occurrence = {(d.schedule_id, d.sequence): d.pk for d in deadlines}
    companions = {pk: [] for pk in by_occurrence.values()}
    candidates = Deadline.objects.filter(
        state=DeadlineState.OPEN,
        schedule__aligned_to__in={schedule_id for schedule_id, _ in by_occurrence},
        sequence__in={sequence for _, sequence in by_occurrence},
    ).select_related("schedule__obligation__paragraph")
    for candidate in candidates.order_by("schedule_id", "sequence"):
        pk = by_occurrence.get((candidate.schedule.aligned_to_id, candidate.sequence))
        if pk is not None:
            companions[pk].append(candidate)
    return companions


def _advance_obligation(deadline: Deadline, *, by, at: dt.datetime | None) -> None:
    obligation = deadline.schedule.obligation
    settled = not Deadline.objects.for_obligation(obligation).open().exists()
    if obligation.kind in (ObligationKind.REPORT, ObligationKind.DECISION) and settled:
        target = ObligationStatus.COMPLETED
    elif obligation.status == ObligationStatus.NOT_STARTED:
        target = ObligationStatus.IN_PROGRESS
    else:
        return
    if target != obligation.status and target in ObligationStatus(obligation.status).allowed_next():
        obligation_update(
            obligation=obligation,
            by=by,
            status=target,
            reason=_("Deadline %(seq)s delivered.") % {"seq": deadline.sequence},
            at=at,
        )


@transaction.atomic
def deadline_reschedule(
    *,
    deadline: Deadline,
    scheduled_on: dt.date,
    reason: str,
    by,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Deadline:
    """Move the scheduled date (e.g. for the programme of work); the nominal date stays.

    Alerts follow the new date from now on; those already raised for the old one stay.
    """
    locked = _locked_open(deadline, expected_version)
    reason = clean_reason(reason)
    clean_tracked_date(scheduled_on, field="scheduled_on")
    if scheduled_on == locked.scheduled_on:
        raise ValidationError({"scheduled_on": _("This is already the scheduled date.")})
    locked.scheduled_on = scheduled_on
    locked.scheduled_reason = reason
    locked.version += 1
    stamp(locked, by=by, note=reason, at=at)
    locked.save(update_fields=["scheduled_on", "scheduled_reason", "version", "updated_at"])
    obligation_deadlines_refresh(obligation_ids=[locked.schedule.obligation_id])
    locked.refresh_from_db(fields=["next_alert_at"])
    return locked


@transaction.atomic
def deadline_waive(
    *,
    deadline: Deadline,
    reason: str,
    by,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Deadline:
    """Record that this occurrence will not be delivered, and why; it stops alerting."""
    locked = _locked_open(deadline, expected_version)
    locked.waived_reason = clean_reason(reason)
    locked.state = DeadlineState.WAIVED
    locked.version += 1
    stamp(locked, by=by, note=locked.waived_reason, at=at)
    locked.save(update_fields=["state", "waived_reason", "version", "updated_at"])
    obligation_deadlines_refresh(obligation_ids=[locked.schedule.obligation_id])
    locked.refresh_from_db(fields=["next_alert_at"])
    return locked


@transaction.atomic
def schedule_sync_deadlines(
    *, schedule: Schedule, by, note: str = "", at: dt.datetime | None = None
) -> list[Deadline]:
    """Make the schedule's deadlines match its rule, losing nothing that was recorded.

    1. Create a deadline for every occurrence the rule produces that does not exist yet.
    2. Move the nominal date of open occurrences whose date changed; the scheduled date
       follows unless someone rescheduled it on purpose.
    3. Occurrences the rule no longer produces are waived with a reason, never deleted,
       so a delivery or a note attached to them stays in the record.
    4. What derives from the deadlines (alert cursors, the summary) is refreshed; `at`
       dates the history, not alerts.
    5. Schedules on the same cycle as this one follow.
    """
    existing = {d.sequence: d for d in schedule.deadlines.select_for_update()}
    result = []
    for sequence, due_on in enumerate(schedule.check_occurrences(), start=1):
        deadline = existing.pop(sequence, None)
        if deadline is None:
            deadline = Deadline(
                schedule=schedule, sequence=sequence, due_on=due_on, scheduled_on=due_on
            )
            stamp(deadline, by=by, note=note, at=at)
            deadline.save()
        elif deadline.due_on != due_on and deadline.state == DeadlineState.OPEN:
            if deadline.scheduled_on == deadline.due_on:
                deadline.scheduled_on = due_on
            deadline.due_on = due_on
            deadline.version += 1
            stamp(deadline, by=by, note=note or _("The schedule rule changed."), at=at)
            deadline.save(update_fields=["due_on", "scheduled_on", "version", "updated_at"])
        result.append(deadline)
    for surplus in existing.values():
        if surplus.state == DeadlineState.OPEN:
            deadline_waive(
                deadline=surplus,
                reason=_("The schedule rule no longer produces this occurrence."),
                by=by,
                at=at,
            )
    obligation_deadlines_refresh(obligation_ids=[schedule.obligation_id])
    for aligned in schedule.aligned_schedules.all():
        schedule_sync_deadlines(schedule=aligned, by=by, note=note, at=at)
    return list(Deadline.objects.filter(pk__in=[d.pk for d in result]).order_by("sequence"))


@transaction.atomic
def schedule_save(*, schedule: Schedule, by, note: str = "") -> list[Deadline]:
    """Save a schedule rule as a whole (the admin's form) and make its deadlines follow.

    When the schedule moved to another obligation, that obligation's derived state is
    refreshed too: its deadlines went with the schedule.
    """
    previous = (
        Schedule.objects.filter(pk=schedule.pk).values_list("obligation_id", flat=True).first()
        if schedule.pk
        else None
    )
    stamp(schedule, by=by, note=note)
    schedule.save()
    deadlines = schedule_sync_deadlines(schedule=schedule, by=by, note=note)
    if previous is not None and previous != schedule.obligation_id:
        obligation_deadlines_refresh(obligation_ids=[previous])
    return deadlines


@transaction.atomic
def schedules_delete(*, schedules) -> int:
    """Delete schedules with their deadlines (and those deadlines' alerts); returns how
    many schedules went. Their obligations' derived state is refreshed."""
    obligation_ids = set(schedules.values_list("obligation_id", flat=True))
    count = schedules.count()
    schedules.delete()
    obligation_deadlines_refresh(obligation_ids=obligation_ids)
    return count


@transaction.atomic
def deadline_saved(*, deadline: Deadline, previous_obligation_id: int | None) -> None:
    """After a deadline was saved as a whole (the admin's form, which bypasses the
    deadline services): refresh what derives from it, for the obligation it belonged to
    and the one it belongs to now."""
    obligation_deadlines_refresh(
        obligation_ids={deadline.schedule.obligation_id, previous_obligation_id} - {None}
    )


@transaction.atomic
def deadlines_delete(*, deadlines) -> int:
    """Delete deadlines (and their alerts); returns how many went. Their obligations'
    derived state is refreshed."""
    obligation_ids = set(deadlines.values_list("schedule__obligation_id", flat=True))
    count = deadlines.count()
    deadlines.delete()
    obligation_deadlines_refresh(obligation_ids=obligation_ids)
    return count


@transaction.atomic
def resolution_schedules_sync(*, resolution: Resolution, by, note: str = "") -> int:
    """After a resolution's adoption date or mandate expiry changed: every schedule of its
    obligations derives its dates from them, so each is synced again (schedules on the
    same cycle follow their target). Returns how many schedules were synced."""
    schedules = Schedule.objects.filter(
        obligation__paragraph__resolution=resolution, aligned_to__isnull=True
    ).select_related("obligation__paragraph__resolution")
    synced = 0
    for schedule in schedules.order_by("pk"):
        schedule_sync_deadlines(
            schedule=schedule, by=by, note=note or _("The resolution's dates changed.")
        )
        synced += 1
    return synced


@transaction.atomic
def resolution_update(*, resolution: Resolution, by, note: str = "", **values) -> list[str]:
    """Change a resolution's facts; when its adoption date or mandate expiry changes, its
    deadlines follow. Returns the names of the fields that changed."""
    locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
        setattr(resolution, name, values[name])
    if changed:
        locked.full_clean()
        stamp(locked, by=by, note=note)
        locked.save(update_fields=changed)
    if DATE_FIELDS & set(changed):
        resolution_schedules_sync(resolution=locked, by=by, note=note)
    if "renews" in changed and locked.renews_id:
        renewal_link(locked, by=by)
        resolution.mandate = locked.mandate
    return changed


def renewal_link(successor: Resolution, *, by) -> None:
    """A resolution renews `successor.renews`: the predecessor's period ends (at its expiry,
    or at the renewal's adoption when it had none) and both belong to the same mandate."""
    predecessor = successor.renews
    values = {}
    if predecessor.mandate_expires_on is None and successor.adopted_on:
        values["mandate_expires_on"] = successor.adopted_on
    if predecessor.mandate_id is None and successor.mandate_id:
        values["mandate"] = successor.mandate
    elif successor.mandate_id is None and predecessor.mandate_id:
        resolution_update(resolution=successor, by=by, mandate=predecessor.mandate)
    if values:
        note = _("Renewed by %(symbol)s.") % {"symbol": successor.symbol}
        resolution_update(resolution=predecessor, by=by, note=note, **values)


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """Give `user` a calendar feed with a fresh key; any previous feed URL stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    if not created:
        feed.key = secrets.token_urlsafe(32)
        feed.save(update_fields=["key"])
    return feed


def calendar_feed_revoke(*, user) -> bool:
    """Delete `user`'s calendar feed; returns whether there was one."""
    deleted, _per_model = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def obligation_deadlines_refresh(*, obligation_ids, now: dt.datetime | None = None) -> None:
    """Recompute everything derived from these obligations' deadlines: each deadline's
    alert cursor and each obligation's deadline summary. The one owner of both.

    Every path that changes deadlines, or what they derive from, calls it in its own
    transaction: the deadline services (deliver, reschedule, waive, sync), schedule and
    deadline saves and deletes (admin included, single and bulk), resolution date changes
    (`resolution_update`), curated data loads and the synthetic data generator. The
    result depends only on the stored deadlines, their schedules and `now` (default the
    clock), so calling it again changes nothing. Per batch of obligations:

    1. Lock the obligations (in id order, so that two writers never wait on each other in
       a circle): two deliveries of one obligation's deadlines at once would otherwise each
       count without the other's; the second now waits, and its counts, read afterwards,
       see what the first committed.
    2. Read their deadlines with their schedules' alert settings and set each cursor
       where `alerts.rules.cursor` puts it; only the cursors that move are written (no
       version, no history: a cursor is the scan's bookkeeping, not a fact).
    3. Count their deadlines, grouped in the database, and upsert the summaries.
    """
    now = now or timezone.now()
    ids = sorted(set(obligation_ids))
    # The caller's transaction, or one of its own when called outside one.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), SUMMARY_BATCH):
            batch = ids[start : start + SUMMARY_BATCH]
            list(
                Obligation.objects.filter(pk__in=batch)
                .order_by("pk")
                .select_for_update(no_key=True)
                .values_list("pk", flat=True)
            )
            _refresh_cursors(batch, now)
            _refresh_summaries(batch)


def _refresh_cursors(obligation_ids: list[int], now: dt.datetime) -> None:
    moved = []
    for pk, previous, *settings in Deadline.objects.filter(
        schedule__obligation_id__in=obligation_ids
    ).values_list("pk", "next_alert_at", *ALERT_PLAN_FIELDS):
        plan = alert_plan(**dict(zip(PLAN_ARGUMENTS, settings, strict=True)))
        cursor = alert_rules.cursor(plan, previous=previous, now=now)
        if cursor != previous:
            moved.append(Deadline(pk=pk, next_alert_at=cursor))
    Deadline.objects.bulk_update(moved, ["next_alert_at"], batch_size=SUMMARY_BATCH)


def _refresh_summaries(obligation_ids: list[int]) -> None:
    counts = {
        row.pop("obligation_id"): row
        for row in Deadline.objects.filter(schedule__obligation_id__in=obligation_ids)
        .with_timing_dates()
        .order_by()
        .values(obligation_id=F("schedule__obligation_id"))
        .annotate(**summary_aggregates())
    }
    DeadlineSummary.objects.bulk_create(
        [DeadlineSummary(obligation_id=pk, **counts.get(pk, {})) for pk in obligation_ids],
        update_conflicts=True,
        unique_fields=["obligation"],
        update_fields=SUMMARY_FIELDS,
    )
