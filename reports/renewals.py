"""The write paths of a mandate's renewals: recording a resolution known only by its
facts, and settling an ended period's open obligations (carried forward to the renewal, or
closed with a reason). Linking a renewal itself is part of `services.resolution_update`
(`services.renewal_link`), which every path that sets `renews` goes through."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs.enums import ObligationStatus, ParagraphKind
from paragraphs.history import stamp
from paragraphs.models import Mandate, Obligation, Paragraph, Resolution, resolution_symbol
from paragraphs.validators import clean_reason
from reports import schedule as rules
from reports.enums import ScheduleKind
from reports.models import Schedule
from reports.services import obligation_deadlines_refresh, resolution_update, schedule_save


@transaction.atomic
def resolution_record(
    *,
    number: int,
    year: int,
    by,
    adopted_on: dt.date | None = None,
    meeting_number: int | None = None,
    title: str = "",
    mandate: Mandate | str | None = None,
    mandate_expires_on: dt.date | None = None,
    renews: Resolution | None = None,
) -> Resolution:
    """Record a resolution known only by its facts (no text yet; the text can be imported
    later onto it). Refused if the number is taken. `mandate` may be a code
    (`mandate_for_code`). A renewal ends its predecessor's period and joins its mandate
    (`services.renewal_link`)."""
    if isinstance(mandate, str):
        mandate = mandate_for_code(mandate)
    if Resolution.objects.filter(number=number).exists():
        raise ValidationError(
            {"number": _("Resolution %(number)s is already recorded.") % {"number": number}}
        )
    resolution = Resolution(number=number, year=year, symbol=resolution_symbol(number, year))
    resolution.full_clean(exclude=["renews", "mandate"])
    stamp(resolution, by=by, note=_("Recorded without its text."))
    resolution.save()
    resolution_update(
        resolution=resolution,
        by=by,
        adopted_on=adopted_on,
        meeting_number=meeting_number,
        title=title,
        mandate=mandate,
        mandate_expires_on=mandate_expires_on,
        renews=renews,
    )
    return resolution


def mandate_for_code(code: str) -> Mandate:
    """The mandate with this code, whatever its case, or a new one with it: how a mandate
    named in a form or read from a text is found. A code that cannot name a mandate's page
    is refused (under `mandate`)."""
    code = code.strip()
    mandate = Mandate.objects.filter(code__iexact=code).first()
    if mandate is not None:
        return mandate
    mandate = Mandate(code=code)
    try:
        mandate.full_clean()
    except ValidationError as error:
        raise ValidationError({"mandate": error.messages}) from error
    mandate.save()
    return mandate


def _check_period_ended(obligation: Obligation, today: dt.date) -> None:
    resolution = obligation.paragraph.resolution
    if not rules.period_ended(resolution.mandate_expires_on, today):
        raise ValidationError(
            _("The mandate period of %(symbol)s has not ended.") % {"symbol": resolution.symbol}
        )
    if obligation.status not in ObligationStatus.open_values():
        raise ValidationError(_("Only an open obligation is carried forward or closed."))


@transaction.atomic
def obligation_close(*, obligation: Obligation, reason: str, by, at=None) -> Obligation:
    """Close an open obligation of an ended mandate period, with the reason (its open
    deadlines stay to reconcile: what happened to them is another fact)."""
    locked = Obligation.objects.select_for_update().select_related("paragraph__resolution")
    locked = locked.get(pk=obligation.pk)
    _check_period_ended(locked, timezone.localdate(at or timezone.now()))
    reason = clean_reason(reason)
    locked.status = ObligationStatus.CLOSED
    locked.version += 1
    stamp(locked, by=by, note=reason, at=at)
    locked.save(update_fields=["status", "version", "updated_at"])
    return locked


# What a carried-forward schedule keeps of its rule; dates are the new period's.
CARRIED_SCHEDULE_FIELDS = (
    "kind",
    "label",
    "within_days",
    "every_days",
    "every_months",
    "rationale",
    "lead_days",
    "overdue_every_days",
    "tolerance_days",
)


@transaction.atomic
def obligation_carry_forward(
    *, obligation: Obligation, paragraph: Paragraph, by, at=None
) -> Obligation:
    """Carry an open obligation of an ended period forward to a paragraph of the
    resolution that renewed its own.

    1. Refuse unless the paragraph's resolution renews the obligation's, the period has
       ended and the obligation is open and not carried forward already.
    2. Create the continuing obligation (owner, kind, summary, analyst, contributors) and
       its schedules by the same rules, dated from the new resolution (a fixed date
       before its adoption is dropped; a schedule on the same cycle follows its target
       when that was carried forward first).
    3. Close the old one, pointing at the new one. Both land in the history.
    """
    locked = Obligation.objects.select_for_update().select_related("paragraph__resolution")
    locked = locked.get(pk=obligation.pk)
    _check_period_ended(locked, timezone.localdate(at or timezone.now()))
    successor = paragraph.resolution
    if successor.renews_id != locked.paragraph.resolution_id:
        raise ValidationError(
            {
                "paragraph": _("%(symbol)s does not renew %(previous)s.")
                % {"symbol": successor.symbol, "previous": locked.paragraph.resolution.symbol}
            }
        )
    if paragraph.kind != ParagraphKind.OPERATIVE:
        raise ValidationError({"paragraph": _("Choose an operative paragraph.")})
    note = _("Carried forward from %(symbol)s op. %(number)s.") % {
        "symbol": locked.paragraph.resolution.symbol,
        "number": locked.paragraph.number,
    }
    carried = Obligation(
        paragraph=paragraph,
        key=_carried_key(locked, paragraph),
        summary=locked.summary,
        owner=locked.owner,
        kind=locked.kind,
        assigned_analyst=locked.assigned_analyst,
    )
    stamp(carried, by=by, note=note, at=at)
    carried.save()
    carried.contributors.set(locked.contributors.all())
    for schedule in locked.schedules.select_related("aligned_to__obligation").order_by("pk"):
        kept = {name: getattr(schedule, name) for name in CARRIED_SCHEDULE_FIELDS}
        copy = Schedule(obligation=carried, **kept)
        if schedule.kind == ScheduleKind.ON_DATE:
            if schedule.on_date is None or schedule.on_date < (successor.adopted_on or dt.date.min):
                continue
            copy.on_date = schedule.on_date
        if schedule.aligned_to_id:
            target = schedule.aligned_to.obligation.carried_forward_to
            copy.aligned_to = target.schedules.order_by("pk").first() if target else None
            if copy.aligned_to is None:
                raise ValidationError(
                    _("Carry forward %(target)s first: this one is on its cycle.")
                    % {"target": schedule.aligned_to.obligation}
                )
        try:
            copy.full_clean(exclude=["obligation"])
        except ValidationError as error:
            raise ValidationError(
                _("Its schedule %(schedule)s cannot be carried forward: %(error)s")
                % {"schedule": schedule, "error": " ".join(error.messages)}
            ) from error
        schedule_save(schedule=copy, by=by, note=note)
    locked.status = ObligationStatus.CLOSED
    locked.carried_forward_to = carried
    locked.version += 1
    stamp(
        locked,
        by=by,
        note=_("Carried forward to %(symbol)s op. %(number)s.")
        % {"symbol": successor.symbol, "number": paragraph.number},
        at=at,
    )
    locked.save(update_fields=["status", "carried_forward_to", "version", "updated_at"])
    obligation_deadlines_refresh(obligation_ids=[carried.pk])
    return carried


def _carried_key(obligation: Obligation, paragraph: Paragraph) -> str:
    """The new obligation's key: the old key's name under the new resolution and paragraph
    (2692-op9-unodc-reports → 2743-op7-unodc-reports), made unique."""
    name = re.sub(r"^\d+-op\d+-", "", obligation.key) or obligation.key
    base = f"{paragraph.resolution.number}-op{paragraph.number}-{name}"[:76]
    key, n = base, 1
    while Obligation.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key
