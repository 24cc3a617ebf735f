import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.exceptions import check_version
from paragraphs.history import stamp
from paragraphs.models import Obligation
from paragraphs.services import obligation_update
from paragraphs.validators import clean_document_symbol, clean_reason
from reports import etag_copies
from reports.enums import DeadlineState
from reports.models import CalendarFeed, Deadline, DeadlineSummary, Schedule
from reports.querysets import delivered_late_q, delivered_on_time_q

SUMMARY_BATCH = 2000
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
    if delivered_on > timezone.localdate(recorded_at):
        raise ValidationError({"delivered_on": _("The delivery date cannot be in the future.")})
    document_symbol = clean_document_symbol(document_symbol)
    locked.state = DeadlineState.DELIVERED
    locked.delivered_on = delivered_on
    locked.document_symbol = document_symbol
    locked.version += 1
    locked.refresh_next_alert(now=timezone.now())
    stamp(locked, by=by, note=note, at=at)
    locked.save(
        update_fields=[
            "state",
            "delivered_on",
            "document_symbol",
            "version",
            "next_alert_at",
            "updated_at",
        ]
    )
    deadline_summaries_refresh(obligation_ids=[locked.schedule.obligation_id])
    _advance_obligation(locked, by=by, at=at)
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
    if scheduled_on == locked.scheduled_on:
        raise ValidationError({"scheduled_on": _("This is already the scheduled date.")})
    locked.scheduled_on = scheduled_on
    locked.scheduled_reason = reason
    locked.version += 1
    locked.refresh_next_alert(now=timezone.now())
    stamp(locked, by=by, note=reason, at=at)
    locked.save(
        update_fields=[
            "scheduled_on",
            "scheduled_reason",
            "version",
            "next_alert_at",
            "updated_at",
        ]
    )
    deadline_summaries_refresh(obligation_ids=[locked.schedule.obligation_id])
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
    locked.refresh_next_alert(now=timezone.now())
    stamp(locked, by=by, note=locked.waived_reason, at=at)
    locked.save(update_fields=["state", "waived_reason", "version", "next_alert_at", "updated_at"])
    deadline_summaries_refresh(obligation_ids=[locked.schedule.obligation_id])
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
    4. Open deadlines point their alert cursor at their next alert moment from now on
       (the schedule's lead days may have changed); `at` dates the history, not alerts.
    5. The obligation's deadline summary is recounted.
    6. Schedules on the same cycle as this one follow.
    """
    now = timezone.now()
    existing = {d.sequence: d for d in schedule.deadlines.select_for_update()}
    result = []
    for sequence, due_on in enumerate(schedule.due_dates(), start=1):
        deadline = existing.pop(sequence, None)
        if deadline is None:
            deadline = Deadline(
                schedule=schedule, sequence=sequence, due_on=due_on, scheduled_on=due_on
            )
            deadline.refresh_next_alert(now=now)
            stamp(deadline, by=by, note=note, at=at)
            deadline.save()
        elif deadline.due_on != due_on and deadline.state == DeadlineState.OPEN:
            if deadline.scheduled_on == deadline.due_on:
                deadline.scheduled_on = due_on
            deadline.due_on = due_on
            deadline.version += 1
            deadline.refresh_next_alert(now=now)
            stamp(deadline, by=by, note=note or _("The schedule rule changed."), at=at)
            deadline.save(
                update_fields=["due_on", "scheduled_on", "version", "next_alert_at", "updated_at"]
            )
        result.append(deadline)
    for surplus in existing.values():
        if surplus.state == DeadlineState.OPEN:
            deadline_waive(
                deadline=surplus,
                reason=_("The schedule rule no longer produces this occurrence."),
                by=by,
                at=at,
            )
    deadlines_refresh_alert_cursors(deadlines=result, now=now)
    deadline_summaries_refresh(obligation_ids=[schedule.obligation_id])
    for aligned in schedule.aligned_schedules.all():
        schedule_sync_deadlines(schedule=aligned, by=by, note=note, at=at)
    return result


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


def deadlines_refresh_alert_cursors(*, deadlines, now: dt.datetime) -> int:
    """Recompute the alert cursors of `deadlines` (e.g. after their schedule changed).

    The cursor is derived, so this is no edit: no version bump and no history record.
    Returns how many moved.
    """
    moved = 0
    for deadline in deadlines:
        previous = deadline.next_alert_at
        deadline.refresh_next_alert(now=now)
        if deadline.next_alert_at != previous:
            Deadline.objects.filter(pk=deadline.pk).update(next_alert_at=deadline.next_alert_at)
            moved += 1
    return moved


def deadline_summaries_refresh(*, obligation_ids) -> None:
    """Recount the deadline summaries of these obligations from their deadlines.

    Called in the transaction of every write to a deadline (services, admin, bulk loads),
    so the summary never disagrees with the deadlines it counts; outside a transaction
    the lock below refuses to run. Three queries per batch:

    1. Lock the obligations (in id order, so that two writers never wait on each other in
       a circle). Two deliveries of one obligation's deadlines at once would otherwise each
       count without the other's and the later upsert would write a count missing one; the
       second now waits, and its count, a new statement, sees what the first committed.
    2. Count their deadlines, grouped in the database.
    3. Write the counts in one upsert.
    """
    ids = sorted(set(obligation_ids))
    for start in range(0, len(ids), SUMMARY_BATCH):
        batch = ids[start : start + SUMMARY_BATCH]
        list(
            Obligation.objects.filter(pk__in=batch)
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", flat=True)
        )
        etag_copies.withdraw_obligations(batch)  # their next deadlines may change
        counts = {
            row.pop("obligation_id"): row
            for row in Deadline.objects.filter(schedule__obligation_id__in=batch)
            .order_by()
            .values(obligation_id=F("schedule__obligation_id"))
            .annotate(
                next_deadline=Min("scheduled_on", filter=Q(state=DeadlineState.OPEN)),
                deadlines=Count("id"),
                open=Count("id", filter=Q(state=DeadlineState.OPEN)),
                delivered_on_time=Count("id", filter=delivered_on_time_q()),
                delivered_late=Count("id", filter=delivered_late_q()),
                waived=Count("id", filter=Q(state=DeadlineState.WAIVED)),
            )
        }
        DeadlineSummary.objects.bulk_create(
            [DeadlineSummary(obligation_id=pk, **counts.get(pk, {})) for pk in batch],
            update_conflicts=True,
            unique_fields=["obligation"],
            update_fields=SUMMARY_FIELDS,
        )
