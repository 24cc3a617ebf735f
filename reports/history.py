"""The change history of an obligation and its deadlines, as one timeline."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from paragraphs.models import Evidence, Obligation
from reports.models import Deadline, Schedule

TRACKED = {
    Obligation: [
        "status",
        "note",
        "owner",
        "assigned_analyst",
        "summary",
        "kind",
        "carried_forward_to",
    ],
    Evidence: ["document_symbol", "url", "dated", "note"],
    Schedule: [
        "kind",
        "on_date",
        "within_days",
        "anchor_on",
        "every_days",
        "every_months",
        "until",
        "aligned_to",
        "tolerance_days",
    ],
    Deadline: [
        "due_on",
        "scheduled_on",
        "scheduled_reason",
        "state",
        "dated_on",
        "circulated_on",
        "delivered_by",
        "delivery_evidence",
        "document_symbol",
        "waived_reason",
    ],
}
TYPE_CODES = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: object
    subject: str
    action: str
    note: str
    changes: list[Change] = field(default_factory=list)
    sequence: int = 0  # orders entries recorded in the same instant
    token: object = None  # the API token the change came through, if any


def _entries(model, records, subject) -> list[HistoryEntry]:
    """Turn the history rows of one model (all objects) into entries with old → new values."""
    fields = TRACKED[model]
    entries = []
    records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
    for _object_id, rows in groupby(records, key=lambda r: r.id):
        previous = None
        for row in rows:
            changes = []
            for name in fields:
                attname = model._meta.get_field(name).attname
                new = getattr(row, attname)
                old = getattr(previous, attname) if previous else None
                if previous is None and new in (None, ""):
                    continue
                if previous is None or old != new:
                    label = str(model._meta.get_field(name).verbose_name)
                    changes.append(
                        Change(
                            name,
                            label,
                            _display(row, name, old, previous),
                            _display(row, name, new, row),
                        )
                    )
            if changes or row.history_type != "~":
                entries.append(
                    HistoryEntry(
                        at=row.history_date,
                        user=row.history_user,
                        subject=subject(row),
                        action=TYPE_CODES[row.history_type],
                        note=row.history_change_reason or "",
                        changes=changes,
                        sequence=row.history_id,
                        token=row.history_api_token,
                    )
                )
            previous = row
    return entries


def _display(row, name, value, source):
    """Human value: the choice label for enums, the related object for foreign keys."""
    if value is None or source is None:
        return value
    model_field = row._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        return getattr(source, name)
    return value


def obligation_history(obligation: Obligation) -> list[HistoryEntry]:
    """Every recorded change of the obligation, its evidence, schedules and deadlines, newest
    first, in four queries."""
    obligation_rows = obligation.history.select_related(
        "history_user", "history_api_token", "owner", "assigned_analyst"
    )
    schedule_rows = Schedule.history.filter(obligation_id=obligation.pk).select_related(
        "history_user", "history_api_token", "aligned_to"
    )
    deadline_rows = Deadline.history.filter(
        schedule_id__in=Schedule.objects.filter(obligation=obligation).values("id")
    ).select_related("history_user", "history_api_token")
    evidence_rows = Evidence.history.filter(obligation_id=obligation.pk).select_related(
        "history_user", "history_api_token"
    )
    entries = (
        _entries(Obligation, obligation_rows, lambda r: str(Obligation._meta.verbose_name))
        + _entries(Evidence, evidence_rows, lambda r: str(Evidence._meta.verbose_name))
        + _entries(Schedule, schedule_rows, _schedule_subject)
        + _entries(Deadline, deadline_rows, _deadline_subject)
    )
    return _newest_first(entries)


def schedule_history(schedule: Schedule) -> list[HistoryEntry]:
    """Every recorded change of one schedule, newest first."""
    rows = Schedule.history.filter(id=schedule.pk).select_related(
        "history_user", "history_api_token", "aligned_to"
    )
    return _newest_first(_entries(Schedule, rows, _schedule_subject))


def deadline_history(deadline: Deadline) -> list[HistoryEntry]:
    """Every recorded change of one deadline, newest first."""
    rows = Deadline.history.filter(id=deadline.pk).select_related(
        "history_user", "history_api_token"
    )
    return _newest_first(_entries(Deadline, rows, _deadline_subject))


def _schedule_subject(row) -> str:
    return row.label or str(Schedule._meta.verbose_name)


def _deadline_subject(row) -> str:
    return f"{Deadline._meta.verbose_name} #{row.sequence}"


def _newest_first(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    return sorted(entries, key=lambda e: (e.at, e.sequence), reverse=True)


def changes_since(instance, version: int) -> list[HistoryEntry]:
    """What others saved on an obligation or deadline after the writer read `version`."""
    model = type(instance)
    related = [n for n in TRACKED[model] if model._meta.get_field(n).is_relation]
    rows = list(
        model.history.filter(id=instance.pk, version__gte=version).select_related(
            "history_user", "history_api_token", *related
        )
    )
    seen = [row.history_id for row in rows if row.version == version]
    entries = _entries(model, rows, lambda r: str(model._meta.verbose_name))
    return sorted(
        (e for e in entries if e.sequence not in seen), key=lambda e: e.sequence, reverse=True
    )
