"""The per-user iCalendar feed (RFC 5545): its secret URL and its content.

The URL token is `<key>.<signature>`: the random key stored on `CalendarFeed` and an HMAC
of it made with DJANGO_SECRET_KEY (Django's signer, which also accepts
SECRET_KEY_FALLBACKS during a key rotation). Guessing needs both; reading the database
gives only the key. Replacing the secret key without a fallback ends every feed URL,
and users regenerate theirs from the dashboard.
"""

import datetime as dt

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import CalendarFeed

SALT = "reports.calendar-feed"
TOKEN_PATTERN = r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"
PRODID = "-//Mandate Tracker//Deadlines//EN"
UID_DOMAIN = "mandate-tracker"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=".")


def feed_token(feed: CalendarFeed) -> str:
    return _signer().sign(feed.key)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None (bad signature, revoked or regenerated)."""
    try:
        key = _signer().unsign(token)
    except signing.BadSignature:
        return None
    return CalendarFeed.objects.select_related("user").filter(key=key).first()


def deadline_uid(deadline_id: int) -> str:
    """Stable across fetches, so calendar clients update an event instead of adding one."""
    return f"deadline-{deadline_id}@{UID_DOMAIN}"


def _summary(row: dict) -> str:
    title = f"{row['resolution_symbol']} op. {row['paragraph_number']}: " + (
        row["schedule_label"] or row["obligation_summary"]
    )
    if row["owner"]:
        title += f" ({row['owner']})"
    if row["state"] == DeadlineState.DELIVERED:
        return _("Delivered: %(title)s") % {"title": title}
    if row["state"] == DeadlineState.WAIVED:
        return _("Waived: %(title)s") % {"title": title}
    if rules.period_ended(row["period_ends_on"], timezone.localdate()):
        return _("To reconcile: %(title)s") % {"title": title}
    return title


def _description(row: dict, url: str) -> str:
    lines = [row["obligation_summary"], ""]
    lines.append(_("Nominal due date: %(date)s") % {"date": row["due_on"].isoformat()})
    if row["scheduled_on"] != row["due_on"]:
        lines.append(_("Scheduled for: %(date)s") % {"date": row["scheduled_on"].isoformat()})
    if row["dated_on"]:
        lines.append(_("Document dated: %(date)s") % {"date": row["dated_on"].isoformat()})
    if row["circulated_on"]:
        lines.append(_("Circulated on: %(date)s") % {"date": row["circulated_on"].isoformat()})
    if row["state"] == DeadlineState.DELIVERED and not row["delivered_on"]:
        lines.append(_("Delivered, date not confirmed."))
        if row["delivered_by"]:
            lines.append(_("Delivered by: %(date)s") % {"date": row["delivered_by"].isoformat()})
        if row["delivery_evidence"]:
            lines.append(_("Evidence: %(evidence)s") % {"evidence": row["delivery_evidence"]})
    if row["document_symbol"]:
        lines.append(_("Document: %(symbol)s") % {"symbol": row["document_symbol"]})
    if row["tolerance_days"]:
        lines.append(
            _("On time until %(tolerance)s days after the scheduled date.")
            % {"tolerance": row["tolerance_days"]}
        )
    if row["period_ends_on"]:
        lines.append(
            _("Mandate period ends: %(date)s") % {"date": row["period_ends_on"].isoformat()}
        )
    lines += ["", url]
    return "\n".join(lines)


def build_calendar(rows, *, name: str, obligation_url) -> bytes:
    """An iCalendar document with every deadline in `rows` as an all-day event.

    `rows` come from `selectors.deadline_rows` with `updated_at` and `version`;
    `obligation_url(pk)` makes the absolute link to the obligation page.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Clients that honour these refresh hourly instead of daily or weekly.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for row in rows:
        url = obligation_url(row["obligation_id"])
        event = Event()
        event.add("uid", deadline_uid(row["id"]))
        event.add("dtstart", row["scheduled_on"])
        # An all-day event ends the next day; the calendar's last day has none (the
        # database refuses such dates, and a feed must not fail on one that got in).
        if row["scheduled_on"] < dt.date.max:
            event.add("dtend", row["scheduled_on"] + dt.timedelta(days=1))
        # The last change of the deadline, not the fetch time: an unchanged deadline gives
        # byte-identical events on every fetch.
        event.add("dtstamp", row["updated_at"])
        event.add("last-modified", row["updated_at"])
        event.add("sequence", row["version"])
        event.add("summary", _summary(row))
        event.add("description", _description(row, url))
        event.add("url", url)
        event.add("categories", [row["resolution_symbol"]])
        event.add("status", "CANCELLED" if row["state"] == DeadlineState.WAIVED else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
