"""Every write of the intake: drafts, the review of their proposals, and acceptance.

Acceptance is the only way a read text becomes tracked: it writes the resolution, its
paragraphs' texts, the obligations accepted and their schedules, through the services
that own them (`reports.services.schedule_save` and `resolution_update` derive the
deadlines), and says in the history who accepted which draft.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intake import texts
from intake.accept import apply_mandate
from intake.document import read_document_and_text, read_resolution_text, to_json
from intake.errors import IntakeError
from intake.models import Decision, Draft, DraftProposal, DraftStatus
from intake.reading.sources import MAX_BYTES
from intake.selectors import CHANGES, IDENTICAL, LANGUAGE, NEW, Plan, draft_plan
from intake.texts import iso_date
from paragraphs.enums import ObligationKind, TextLanguage
from paragraphs.models import (
    Actor,
    Obligation,
    Paragraph,
    Resolution,
)
from paragraphs.services import obligation_create
from paragraphs.validators import clean_tracked_date
from reports.enums import ScheduleKind
from reports.models import Schedule
from reports.services import schedule_save

SUMMARY_MAX = 500


def read_input(
    *, data: bytes | None = None, text: str | None = None, filename: str = "", language=None
):
    """A file's bytes or a pasted text, read: (Reading, the text as read, SHA-256).

    Raises IntakeError (with a code and a message in the active language) for anything
    that is not a readable resolution: too large, NUL bytes, unknown format or layout.
    """
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
        reading, read = read_document_and_text(
            data, filename=filename or None, language=language, strict_numbering=False
        )
        return reading, read, digest
    text = text or ""
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        raise IntakeError(
            "undecodable", _("The text contains characters that are not Unicode text.")
        ) from None
    if len(encoded) > MAX_BYTES:
        raise IntakeError(
            "too_large",
            _(
                "The text is %(size)s KB; a resolution is at most a few hundred kilobytes "
                "(the limit is %(limit)s KB). Paste one resolution at a time."
            ),
            size=len(encoded) // 1024,
            limit=MAX_BYTES // 1024,
        )
    if "\x00" in text:
        raise IntakeError("nul_bytes", _("The text contains NUL characters: it is not plain text."))
    reading = read_resolution_text(text, language=language, strict_numbering=False)
    return reading, text, hashlib.sha256(encoded).hexdigest()


@transaction.atomic
def draft_create(
    *,
    by,
    data: bytes | None = None,
    text: str | None = None,
    filename: str = "",
    language: str | None = None,
) -> Draft:
    """Read a text and keep it as a draft for review; nothing is tracked yet.

    Proposals are kept only when the resolution has no paragraphs yet: for a resolution
    already held, a text adds a language or changes the text, and its obligations are
    the analysts' already.
    """
    reading, read, digest = read_input(data=data, text=text, filename=filename, language=language)
    document = to_json(reading)
    draft = Draft.objects.create(
        created_by=by,
        filename=(filename or "")[:255],
        source_format=reading.source_format if data is not None else "paste",
        sha256=digest,
        language=reading.language,
        number=reading.number,
        symbol=reading.symbol,
        text=read,
        reading=document,
        resolution=Resolution.objects.filter(number=reading.number).first(),
    )
    if draft_plan(draft).mode == NEW:
        DraftProposal.objects.bulk_create(
            _proposal(draft, paragraph, proposal)
            for paragraph in document["operative"]
            for proposal in paragraph["proposals"]
        )
    return draft


def _proposal(draft: Draft, paragraph: dict, proposal: dict) -> DraftProposal:
    actors = proposal.get("actors", [])
    owners = [a for a in actors if a["role"] == "owner"] or actors
    owner = owners[0] if owners else {"code": "", "name": ""}
    return DraftProposal(
        draft=draft,
        paragraph_number=paragraph["number"],
        key=proposal["key"][:80],
        source=proposal["source"],
        owner_code=owner["code"][:40],
        owner_name=owner["name"][:150],
        contributors=[
            {"code": a["code"], "name": a["name"], "new": a["new"]}
            for a in actors
            if a is not owner
        ],
        kind=proposal["kind"],
        summary=proposal["source"][:SUMMARY_MAX],
        schedule=proposal["schedule"],
    )


def _open_draft(draft: Draft) -> Draft:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != DraftStatus.OPEN:
        raise ValidationError(
            _("This draft is already %(status)s.") % {"status": locked.get_status_display()},
            code="draft_closed",
        )
    return locked


def clean_schedule(spec: dict | None) -> dict | None:
    """A proposal's schedule as a reviewer left it: the kind's fields, checked."""
    if not spec or not spec.get("kind"):
        return None
    kind = spec["kind"]
    interval = spec.get("every_days") or spec.get("every_months")
    if kind == ScheduleKind.ALIGNED and not spec.get("aligned_to") and interval:
        # The head of a cycle others follow ("on the same cycle as BINUH's reports"): its
        # own interval, so a recurring rule.
        kind = ScheduleKind.RECURRING
        spec = {**spec, "kind": kind}
    if kind not in ScheduleKind.values:
        raise ValidationError({"schedule": _("Unknown schedule kind.")})
    needs = {
        ScheduleKind.ON_DATE: ["on"],
        ScheduleKind.WITHIN_DAYS: ["within_days"],
        ScheduleKind.ALIGNED: ["aligned_to"],
    }.get(kind, [])
    missing = [name for name in needs if not spec.get(name)]
    if missing:
        raise ValidationError(
            {"schedule": _("This schedule needs: %(fields)s.") % {"fields": ", ".join(missing)}}
        )
    if kind == ScheduleKind.RECURRING and bool(spec.get("every_days")) == bool(
        spec.get("every_months")
    ):
        raise ValidationError(
            {"schedule": _("A recurring schedule needs every N days or every N months.")}
        )
    for name in ("on", "anchor_on", "until"):
        if spec.get(name):
            try:
                clean_tracked_date(iso_date(spec[name]), field="schedule")
            except (TypeError, ValueError):
                raise ValidationError({"schedule": _("Enter a valid date.")}) from None
    return spec


@transaction.atomic
def draft_proposal_update(
    *,
    proposal: DraftProposal,
    by,
    decision: str | None = None,
    owner_code: str | None = None,
    owner_name: str | None = None,
    kind: str | None = None,
    summary: str | None = None,
    schedule: dict | object | None = ...,
) -> DraftProposal:
    """Accept, reject or edit one proposal of an open draft; nothing is tracked yet."""
    _open_draft(proposal.draft)
    locked = DraftProposal.objects.select_for_update().get(pk=proposal.pk)
    changed = []
    if decision is not None:
        if decision not in Decision.values:
            raise ValidationError({"decision": _("Unknown decision.")})
        locked.decision = decision
        changed.append("decision")
    if owner_code is not None:
        code = slugify(owner_code)[:40]
        if not code:
            raise ValidationError({"owner_code": _("Choose an owner.")})
        locked.owner_code = code
        changed.append("owner_code")
    if owner_name is not None:
        locked.owner_name = owner_name.strip()[:150]
        changed.append("owner_name")
    if kind is not None:
        if kind not in ObligationKind.values:
            raise ValidationError({"kind": _("Unknown kind of obligation.")})
        locked.kind = kind
        changed.append("kind")
    if summary is not None:
        summary = summary.strip()
        if not summary:
            raise ValidationError({"summary": _("Write a summary.")})
        locked.summary = summary[:SUMMARY_MAX]
        changed.append("summary")
    if schedule is not ...:
        locked.schedule = clean_schedule(schedule)
        changed.append("schedule")
    if changed:
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def draft_discard(*, draft: Draft, by) -> Draft:
    """Close a draft without applying anything; it stays, for the record."""
    locked = _open_draft(draft)
    locked.status = DraftStatus.DISCARDED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def draft_accept(
    *, draft: Draft, by, confirmed: set[str] | frozenset = frozenset(), accept_pending=False
) -> Draft:
    """Apply a draft, as the plan says, and close it.

    1. Lock the drafts of this resolution (one acceptance at a time); compute the plan
       again, so what is applied is what the database holds now.
    2. new: create the resolution's facts, paragraphs and texts; its mandate and expiry
       when the text extends one; then each accepted proposal as an obligation with its
       schedule (pending proposals must be decided, or accepted with `accept_pending`).
    3. language: add the texts, if the structure is the one held.
    4. changes: apply the changes in `confirmed` (ids of `diff.Change`), none other.
    5. Record who accepted, when, and what was applied; every text written carries the
       draft in its history.
    """
    # Every draft of the same resolution, in id order: two acceptances of drafts of one
    # resolution run one after the other, and the second plans against what the first
    # wrote (a new resolution, then the same text: nothing to apply).
    list(
        Draft.objects.select_for_update()
        .filter(number=draft.number)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = _open_draft(draft)
    plan = draft_plan(locked)
    note = _("Accepted from import draft #%(draft)s (%(source)s, SHA-256 %(sha)s…).") % {
        "draft": locked.pk,
        "source": locked.filename or locked.source_format,
        "sha": locked.sha256[:12],
    }
    if plan.mode == NEW:
        applied = _accept_new(locked, plan, by=by, note=note, accept_pending=accept_pending)
    elif plan.mode == LANGUAGE:
        if plan.refusal:
            raise ValidationError(
                _("This text cannot be added to %(symbol)s: %(reason)s")
                % {"symbol": plan.resolution.symbol, "reason": plan.refusal},
                code="structure_differs",
            )
        applied = texts.add_language(locked.reading, plan, by=by, note=note)
    elif plan.mode == CHANGES:
        applied = texts.apply_changes(locked, plan, confirmed=set(confirmed), by=by, note=note)
    else:
        assert plan.mode == IDENTICAL
        raise ValidationError(
            _("The text is the one held: there is nothing to apply. Discard the draft."),
            code="identical",
        )
    locked.status = DraftStatus.ACCEPTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.resolution = Resolution.objects.get(number=locked.number)
    locked.applied = applied
    locked.save(update_fields=["status", "decided_by", "decided_at", "resolution", "applied"])
    return locked


# Acceptance, by plan


def _accept_new(draft: Draft, plan: Plan, *, by, note: str, accept_pending: bool) -> list[str]:
    proposals = list(draft.proposals.order_by("paragraph_number", "id"))
    pending = [p for p in proposals if p.decision == Decision.PENDING]
    if pending and not accept_pending:
        raise ValidationError(
            _(
                "%(count)d proposed obligation(s) still to review: accept or reject each, "
                "or accept the remaining ones with the draft."
            )
            % {"count": len(pending)},
            code="pending",
        )
    accepted = [p for p in proposals if p.decision != Decision.REJECTED]
    resolution, paragraphs = texts.write_new_resolution(reading=draft.reading, by=by, note=note)
    applied = [
        _("%(symbol)s: %(count)d paragraphs in %(language)s.")
        % {
            "symbol": resolution.symbol,
            "count": len(paragraphs) + len(draft.reading["preambular"]),
            "language": TextLanguage(draft.language).label,
        }
    ]
    if draft.reading["mandate"] and draft.reading["mandate_expires_on"]:
        apply_mandate(
            resolution,
            draft.reading["mandate"],
            iso_date(draft.reading["mandate_expires_on"]),
            by,
        )
        applied.append(
            _("Mandate %(mandate)s until %(date)s.")
            % {"mandate": draft.reading["mandate"], "date": draft.reading["mandate_expires_on"]}
        )
    schedules: dict[str, Schedule] = {}
    # Schedules on the same cycle as another come after the one they follow.
    ordered = sorted(accepted, key=lambda p: bool(p.schedule and p.schedule.get("aligned_to")))
    for proposal in ordered:
        obligation = _obligation_from(proposal, paragraphs[proposal.paragraph_number], by, note)
        proposal.decision = Decision.ACCEPTED
        proposal.obligation = obligation
        proposal.save(update_fields=["decision", "obligation"])
        if proposal.schedule:
            schedules[proposal.key] = _schedule_from(proposal, obligation, schedules, by, note)
        applied.append(
            _("Obligation %(key)s (paragraph %(number)s).")
            % {"key": obligation.key, "number": proposal.paragraph_number}
        )
    return applied


def _actor(code: str, name: str) -> Actor:
    """The actor with this code; a new one (named as the text names it) if there is none."""
    actor = Actor.objects.filter(code=code).first()
    if actor is not None:
        return actor
    name = name or code
    return Actor.objects.create(code=code, name_en=name[:150], name_zh=name[:100])


def _obligation_from(proposal: DraftProposal, paragraph: Paragraph, by, note) -> Obligation:
    if not proposal.owner_code:
        raise ValidationError(
            _("The proposal of paragraph %(number)s has no owner: edit it or reject it.")
            % {"number": proposal.paragraph_number}
        )
    base = slugify(f"{paragraph.resolution.number}-{proposal.key}")[:70]
    key, n = base, 1
    while Obligation.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    contributors = [
        _actor(slugify(c["code"])[:40], c["name"])
        for c in proposal.contributors
        if slugify(c["code"]) and slugify(c["code"]) != proposal.owner_code
    ]
    try:
        obligation = obligation_create(
            paragraph=paragraph,
            key=key,
            summary=proposal.summary,
            kind=proposal.kind,
            owner=_actor(proposal.owner_code, proposal.owner_name),
            contributors=contributors,
            by=by,
            note=note,
        )
    except ValidationError as error:
        raise ValidationError(
            _("The proposal of paragraph %(number)s: %(errors)s")
            % {"number": proposal.paragraph_number, "errors": " ".join(error.messages)}
        ) from error
    return obligation


def _schedule_from(
    proposal: DraftProposal, obligation: Obligation, schedules: dict, by, note
) -> Schedule:
    spec = clean_schedule(proposal.schedule)
    schedule = Schedule(
        obligation=obligation,
        kind=spec["kind"],
        label=proposal.summary[:120],
        rationale=proposal.source,
        on_date=iso_date(spec.get("on")),
        within_days=spec.get("within_days"),
        every_days=spec.get("every_days"),
        every_months=spec.get("every_months"),
        anchor_on=iso_date(spec.get("anchor_on")),
        until=iso_date(spec.get("until")),
    )
    if spec["kind"] == ScheduleKind.ALIGNED:
        schedule.aligned_to = schedules.get(spec["aligned_to"])
        if schedule.aligned_to is None:
            raise ValidationError(
                _(
                    "The schedule of paragraph %(number)s follows a proposal that was not "
                    "accepted: accept that one too, or edit this schedule."
                )
                % {"number": proposal.paragraph_number}
            )
    try:
        schedule.full_clean(exclude=["obligation", "aligned_to"])
    except ValidationError as error:
        raise ValidationError(
            _("The schedule of paragraph %(number)s: %(errors)s")
            % {"number": proposal.paragraph_number, "errors": " ".join(error.messages)}
        ) from error
    schedule_save(schedule=schedule, by=by, note=note)
    return schedule


@transaction.atomic
def resolution_text_load(*, data: bytes, filename: str = "", by, note: str = "") -> Resolution:
    """Load a resolution's text without review, as the 2692 loader does: a new resolution's
    paragraphs are created, a language is added to the same paragraphs, and the same text
    again changes nothing. A changed text is refused: it goes through a draft's review.
    No obligations are proposed here."""
    reading, _read, _digest = read_input(data=data, filename=filename)
    document = to_json(reading)
    plan = draft_plan(Draft(number=reading.number, language=reading.language, reading=document))
    note = note or _("Loaded from %(file)s.") % {"file": filename or reading.symbol}
    if plan.mode == NEW:
        return texts.write_new_resolution(reading=document, by=by, note=note)[0]
    if plan.mode == LANGUAGE:
        if plan.refusal:
            raise ValidationError(plan.refusal, code="structure_differs")
        texts.add_language(document, plan, by=by, note=note)
    elif plan.mode == CHANGES:
        raise ValidationError(
            _(
                "The text of %(symbol)s differs from the one held (%(changes)s): import it "
                "for review instead."
            )
            % {
                "symbol": reading.symbol,
                "changes": "; ".join(texts.describe(c) for c in plan.pending_changes[:5]),
            },
            code="changed",
        )
    return plan.resolution
