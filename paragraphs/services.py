import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paragraphs import tokens
from paragraphs.enums import ObligationStatus
from paragraphs.exceptions import check_version
from paragraphs.history import stamp
from paragraphs.models import Actor, ApiToken, Evidence, Obligation, Paragraph
from paragraphs.validators import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    clean_document_symbol,
    clean_length,
    clean_past_date,
    clean_reason,
)

UNCHANGED = object()


def _check_transition(current: str, new: str) -> ObligationStatus:
    try:
        new_status = ObligationStatus(new)
    except ValueError:
        raise ValidationError(
            {"status": _("“%(value)s” is not a known status.") % {"value": new}}
        ) from None
    allowed = ObligationStatus(current).allowed_next()
    if new_status not in allowed:
        raise ValidationError(
            {
                "status": _(
                    "An obligation cannot go from “%(old)s” to “%(new)s”. Allowed: %(allowed)s."
                )
                % {
                    "old": ObligationStatus(current).label,
                    "new": new_status.label,
                    "allowed": ", ".join(str(s.label) for s in allowed),
                }
            }
        )
    return new_status


@transaction.atomic
def obligation_update(
    *,
    obligation: Obligation,
    by,
    status: str | None = None,
    note: str | None = None,
    owner: Actor | object = UNCHANGED,
    assigned_analyst=UNCHANGED,
    reason: str = "",
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Obligation:
    """Change an obligation's status, progress note, owner or analyst in one recorded step.

    1. Lock the row, so two writers are serialised and the transition is checked against
       the status that is really stored; refuse if it changed since the writer read
       `expected_version` (EditConflict).
    2. Validate each requested change; nothing is written if one is invalid.
    3. Save only the changed fields and write one history record (who, when, why).
    """
    locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
    check_version(locked, expected_version)
    changed = []
    if status is not None and status != locked.status:
        locked.status = _check_transition(locked.status, status)
        changed.append("status")
    if note is not None and note != locked.note:
        locked.note = clean_length(note, NOTE_MAX_LENGTH, field="note")
        changed.append("note")
    if owner is not UNCHANGED and owner != locked.owner:
        if owner is None:
            raise ValidationError({"owner": _("An obligation must have an owner.")})
        locked.owner = owner
        changed.append("owner")
    if assigned_analyst is not UNCHANGED and assigned_analyst != locked.assigned_analyst:
        locked.assigned_analyst = assigned_analyst
        changed.append("assigned_analyst")
    if changed:
        locked.version += 1
        stamp(locked, by=by, note=clean_length(reason, REASON_MAX_LENGTH, field="reason"), at=at)
        locked.save(update_fields=[*changed, "version", "updated_at"])
    return locked


@transaction.atomic
def obligation_create(
    *,
    paragraph: Paragraph,
    key: str,
    summary: str,
    kind: str,
    owner: Actor,
    contributors: list[Actor] = (),
    by,
    note: str = "",
) -> Obligation:
    """Record what a paragraph asks of whom (an accepted import proposal): validated,
    in the history with who and why. It has no deadlines until a schedule is saved
    (`reports.services.schedule_save`, which derives them)."""
    obligation = Obligation(paragraph=paragraph, key=key, summary=summary, kind=kind, owner=owner)
    obligation.full_clean(exclude=["paragraph", "owner"])
    stamp(obligation, by=by, note=clean_length(note, REASON_MAX_LENGTH, field="reason"))
    obligation.save()
    if contributors:
        obligation.contributors.set(contributors)
    return obligation


@transaction.atomic
def evidence_add(
    *,
    obligation: Obligation,
    by,
    document_symbol: str = "",
    url: str = "",
    dated: dt.date | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Evidence:
    """Attach a document or link to an obligation; recorded in its history (as of `at`,
    default now)."""
    document_symbol = clean_document_symbol(document_symbol)
    url = (url or "").strip()
    if not document_symbol and not url:
        raise ValidationError(_("Give a document symbol or a link."))
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError({"url": _("Only http and https links can be recorded.")})
    evidence = Evidence(
        obligation=obligation,
        document_symbol=document_symbol,
        url=url,
        dated=clean_past_date(dated, field="dated"),
        note=note.strip(),
        added_by=by,
    )
    evidence.full_clean(exclude=["obligation", "added_by"])
    stamp(evidence, by=by, note=evidence.note, at=at)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by, reason: str) -> None:
    """Remove evidence recorded by mistake; the history keeps it and the reason."""
    reason = clean_reason(reason)
    stamp(evidence, by=by, note=reason)
    evidence.delete()


def api_token_create(*, user, name: str, read_only: bool, by) -> tuple[ApiToken, str]:
    """Create a token that acts as `user`; returns it with the token text, shown only once.

    A token acts for its holder: people create tokens for themselves, and a token for
    another account (a service account) is created by an administrator. Otherwise a
    manager could act as another manager, with changes recorded under the other's name
    and the other's private alerts in reach. So a token never acts with more rights than
    the person who creates it (an administrator may do anything).
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the system that will use the token.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is inactive.")})
    if user.pk != by.pk and not by.is_superuser:
        raise ValidationError(
            {
                "user": _(
                    "You can create tokens only for yourself. A token for another account "
                    "is created by that account or by an administrator."
                )
            }
        )
    text, prefix = tokens.generate()
    token = ApiToken.objects.create(
        name=name,
        user=user,
        read_only=read_only,
        prefix=prefix,
        digest=tokens.digest(text),
        created_by=by,
    )
    return token, text


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke for good: the row stays, with who revoked it and when, for the record."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."), code="already_revoked")
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
