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
from paragraphs.validators import clean_document_symbol, clean_reason, clean_tracked_date
from reports.alerts import rules as alert_rules
from reports.enums import DeadlineState
from reports.models import CalendarFeed, Deadline, DeadlineSummary, Schedule, alert_plan
from reports.querysets import summary_aggregates

SUMMARY_BATCH = 2000
# A resolution's dates that its schedules derive deadlines from.
DATE_FIELDS = {"adopted_on", "mandate_expires_on"}
SUMMARY_FIELDS = [
    "next_deadline",
    "deadlines",
    "open",
    "delivered_on_time",
    "delivered_late",
    "waived",
]


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


@transaction.atomic
def deadline_deliver(
    *,
    deadline: Deadline,
    delivered_on: dt.date,
    document_symbol: str = "",
    by,
    note: str = "",
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Deadline:
    """Record that the report or action due was delivered.

    1. Refuse a date in the future (of the moment recorded) or a malformed symbol.
    2. Mark the deadline delivered, recorded as of `at` (default now); it stops alerting.
    3. Move the obligation forward: a first delivery means work is in progress; a report
       whose every deadline is settled is completed. Both steps land in its history.
    """
    locked = _locked_open(deadline, expected_version)
    recorded_at = at or timezone.now()
    clean_tracked_date(delivered_on, field="delivered_on")
    if delivered_on > timezone.localdate(recorded_at):
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    document_symbol = clean_document_symbol(document_symbol)
    locked.state = DeadlineState.DELIVERED
    locked.delivered_on = delivered_on
    locked.document_symbol = document_symbol
    locked.version += 1
    stamp(locked, by=by, note=note, at=at)
    locked.save(update_fields=["state", "delivered_on", "document_symbol", "version", "updated_at"])
    obligation_deadlines_refresh(obligation_ids=[locked.schedule.obligation_id])
    _advance_obligation(locked, by=by, at=at)
    locked.refresh_from_db(fields=["next_alert_at"])
    return locked


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
        locked.save(update_fields=changed)
    if DATE_FIELDS & set(changed):
        resolution_schedules_sync(resolution=locked, by=by, note=note)
    return changed


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
    for pk, state, scheduled_on, previous, lead_days, every in Deadline.objects.filter(
        schedule__obligation_id__in=obligation_ids
    ).values_list(
        "pk",
        "state",
        "scheduled_on",
        "next_alert_at",
        "schedule__lead_days",
        "schedule__overdue_every_days",
    ):
        plan = alert_plan(
            state=state, scheduled_on=scheduled_on, lead_days=lead_days, overdue_every_days=every
        )
        cursor = alert_rules.cursor(plan, previous=previous, now=now)
        if cursor != previous:
            moved.append(Deadline(pk=pk, next_alert_at=cursor))
    Deadline.objects.bulk_update(moved, ["next_alert_at"], batch_size=SUMMARY_BATCH)


def _refresh_summaries(obligation_ids: list[int]) -> None:
    counts = {
        row.pop("obligation_id"): row
        for row in Deadline.objects.filter(schedule__obligation_id__in=obligation_ids)
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
