import calendar as calendar_module

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from paragraphs.roles import can_view
from reports.access import viewer_required
from reports.dashboard import exports, feeds, selectors, snapshot
from reports.dashboard.forms import CalendarFilterForm, DashboardFilterForm, FeedFilterForm
from reports.dashboard.timeline import layout
from reports.models import CalendarFeed
from reports.schedule import add_months
from reports.services import calendar_feed_regenerate, calendar_feed_revoke

CALENDAR_PER_DAY = 4
EXPORTS = {
    "obligations": (exports.OBLIGATION_COLUMNS, exports.obligation_rows),
    "deadlines": (exports.DEADLINE_COLUMNS, exports.deadline_rows),
}


def _query(form, **changes) -> str:
    """The form's query string with some values replaced (for links that keep the filters)."""
    params = {k: v for k, v in form.data.items() if k in form.fields}
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v})


def _feed_context(request, filters: snapshot.Filters) -> dict:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if feed is None:
        return {"feed": None}
    url = request.build_absolute_uri(
        reverse("reports:feed", kwargs={"token": feeds.feed_token(feed)})
    )
    narrowed = {
        "resolution": filters.resolution.number if filters.resolution else None,
        "owner": filters.owner.code if filters.owner else None,
    }
    narrowed = {k: v for k, v in narrowed.items() if v}
    return {
        "feed": feed,
        "feed_url": url,
        "feed_url_filtered": f"{url}?{urlencode(narrowed)}" if narrowed else None,
    }


@require_GET
@viewer_required
def dashboard(request):
    form = DashboardFilterForm(request.GET)
    context = {"form": form, "today": timezone.localdate()}
    if not form.is_valid():
        # The page still renders, with the form's errors and no figures: never a 500.
        return render(request, "reports/dashboard/dashboard.html", context, status=400)
    s = snapshot.take(form.filters(), today=context["today"])
    resolutions, resolutions_total = selectors.resolutions_in_view(s)
    timeline_rows, timeline_total = selectors.timeline(s, resolutions)
    owners = selectors.by_owner(s)
    context |= {
        "snapshot": s,
        "figures": selectors.headline(owners),
        "upcoming": selectors.upcoming(s),
        "overdue": selectors.overdue(s),
        # Current periods have nothing to reconcile by definition: no query for it.
        "to_reconcile": (
            selectors.to_reconcile(s) if s.filters.periods != snapshot.Periods.CURRENT else []
        ),
        "owners": owners,
        "grid": selectors.paragraph_grid(s, resolutions),
        "resolutions_total": resolutions_total,
        "chart": layout(timeline_rows, today=s.today),
        "timeline_total": timeline_total,
        "timeline_rows_shown": len(timeline_rows),
        "list_limit": selectors.LIST_LIMIT,
        "upcoming_days": selectors.UPCOMING_DAYS,
        "query": _query(form),
        "query_today": _query(form, as_of=""),
        "query_calendar": _query(form, due_from="", due_to="", as_of=""),
        **_feed_context(request, s.filters),
    }
    return render(request, "reports/dashboard/dashboard.html", context)


@require_GET
@viewer_required
def calendar(request):
    form = CalendarFilterForm(request.GET)
    context = {"form": form, "today": timezone.localdate()}
    if not form.is_valid():
        return render(request, "reports/dashboard/calendar.html", context, status=400)
    month = form.cleaned_data["month"]
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    s = snapshot.take(form.filters(), today=context["today"])
    by_day, counts = selectors.calendar_days(
        s, weeks[0][0], weeks[-1][-1], per_day=CALENDAR_PER_DAY
    )
    context |= {
        "month": month,
        "weeks": [
            [
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "deadlines": by_day.get(day, []),
                    "more": counts.get(day, 0) - len(by_day.get(day, [])),
                }
                for day in week
            ]
            for week in weeks
        ],
        "weekdays": weeks[0],
        "previous_query": _query(form, month=add_months(month, -1).strftime("%Y-%m")),
        "next_query": _query(form, month=add_months(month, 1).strftime("%Y-%m")),
        "dashboard_query": _query(form, month=""),
        "month_total": sum(n for day, n in counts.items() if day.month == month.month),
    }
    return render(request, "reports/dashboard/calendar.html", context)


def _filename(kind: str, fmt: str, s: snapshot.Snapshot) -> str:
    return f"mandate-tracker-{kind}-{s.today.isoformat()}.{fmt}"


@require_GET
@viewer_required
def export(request, kind: str, fmt: str):
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        return HttpResponseBadRequest(
            _("Invalid filters: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    s = snapshot.take(form.filters(), today=timezone.localdate())
    columns, rows = EXPORTS[kind]
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(columns, rows(s)), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(columns, rows(s), title=kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(kind, fmt, s)}"'
    return response


@require_POST
@viewer_required
def feed_manage(request):
    """Create, regenerate or revoke the signed-in user's calendar feed."""
    action = request.POST.get("action")
    if action == "regenerate":
        calendar_feed_regenerate(user=request.user)
        messages.success(
            request,
            _("Your calendar feed URL is ready. Any earlier URL no longer works."),
        )
    elif action == "revoke":
        calendar_feed_revoke(user=request.user)
        messages.success(request, _("Your calendar feed was revoked; its URL no longer works."))
    else:
        return HttpResponseBadRequest(_("Unknown action."), content_type="text/plain")
    return redirect(f"{reverse('reports:dashboard')}#calendar-feed")


@require_safe  # calendar clients may check with HEAD before they GET
def feed(request, token: str):
    """The iCalendar feed: no session, only the secret token (404 once revoked)."""
    found = feeds.feed_for_token(token)
    if found is None or not found.user.is_active or not can_view(found.user):
        raise Http404
    form = FeedFilterForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        return HttpResponseBadRequest(
            _("Invalid filters: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    s = snapshot.take(filters, today=timezone.localdate())
    rows = selectors.deadline_rows(
        s,
        s.deadlines.order_by("scheduled_on", "id"),
        fields=["updated_at", "version"],
    ).iterator(chunk_size=exports.CHUNK)
    name = " · ".join(
        part
        for part in (
            _("Mandate Tracker deadlines"),
            filters.resolution.symbol if filters.resolution else "",
            str(filters.owner) if filters.owner else "",
        )
        if part
    )
    body = feeds.build_calendar(
        rows,
        name=name,
        obligation_url=lambda pk: request.build_absolute_uri(
            reverse("reports:obligation", args=[pk])
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mandate-tracker.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
