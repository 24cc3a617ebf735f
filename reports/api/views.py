"""Obligations, schedules, deadlines and their history.

The read path of obligations and deadlines renders plain values (reports.selectors) into
dicts: no model instance and no serializer per row; the serializers in serializers.py
describe that shape for OpenAPI and check request bodies. Writes go through the same
services as the browser, guarded by If-Match (mandate_tracker.api.conditional).
"""

import datetime as dt

import orjson
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mandate_tracker.api import permissions
from mandate_tracker.api.conditional import not_modified, require_if_match, version_etag
from mandate_tracker.api.pagination import SortKey, parse_date, parse_datetime
from mandate_tracker.api.renderers import FastJSONRenderer
from mandate_tracker.api.schema import detail_doc, list_doc, write_doc
from mandate_tracker.api.views import (
    ApiViewSet,
    SerializedViewSet,
    absolute_url,
    row_or_404,
    with_content_etag,
)
from paragraphs import roles
from paragraphs.models import Obligation
from paragraphs.services import obligation_update
from reports import obligation_json
from reports import schedule as rules
from reports.api.filters import DeadlineFilter, ObligationFilter, ScheduleFilter
from reports.api.serializers import (
    DeadlineSerializer,
    DeliverSerializer,
    HistoryEntrySerializer,
    ObligationPatchSerializer,
    ObligationSerializer,
    RescheduleSerializer,
    ScheduleSerializer,
    WaiveSerializer,
)
from reports.enums import DeadlineState
from reports.history import deadline_history, obligation_history, schedule_history
from reports.models import Deadline, Schedule
from reports.querysets import next_deadline_or_never
from reports.selectors import (
    deadline_rows,
    obligation_rows_by_id,
    obligation_version,
    obligations_for_api,
)
from reports.services import deadline_deliver, deadline_reschedule, deadline_waive


def _plain(value):
    """A history value as text: dates in ISO form, labels and objects as displayed."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def history_json(entries) -> list[dict]:
    return [
        {
            "at": entry.at,
            "user": entry.user.get_username() if entry.user else None,
            "subject": entry.subject,
            "action": entry.action,
            "note": entry.note,
            "changes": [
                {
                    "field": change.field,
                    "label": change.label,
                    "old": _plain(change.old),
                    "new": _plain(change.new),
                }
                for change in entry.changes
            ],
        }
        for entry in entries
    ]


HISTORY_DOC = detail_doc(HistoryEntrySerializer(many=True), summary="Its history, newest first")


def obligation_overdue(row, today: dt.date) -> bool:
    due = row["next_deadline"]
    return due is not None and rules.is_overdue(due, today)


def obligation_etag(row, overdue: bool) -> str:
    due = row["next_deadline"]
    return version_etag(
        "obligation",
        row["id"],
        row["version"],
        due.isoformat() if due else None,
        "overdue" if overdue else None,
    )


def obligation_etag_today(row) -> str:
    return obligation_etag(row, obligation_overdue(row, timezone.localdate()))


def obligation_current_etag(pk: int) -> str | None:
    """The obligation's ETag now, from the version query alone; None if there is none."""
    version = obligation_version(pk)
    return None if version is None else obligation_etag_today(version)


def obligation_stored_fields(row) -> dict:
    """What an obligation's JSON shows that is the same for every request and every day."""
    return {
        "id": row["id"],
        "key": row["key"],
        "resolution": row["resolution_symbol"],
        "resolution_id": row["resolution_pk"],
        "paragraph": row["paragraph_number"],
        "summary": row["summary"],
        "owner": row["owner_code"],
        "contributors": row["contributors"],
        "kind": row["kind"],
        "status": row["status"],
        "note": row["note"],
        "assigned_analyst": row["analyst_username"],
        "next_deadline": row["next_deadline"],
        "version": row["version"],
        "updated_at": row["updated_at"],
    }


def obligation_body(row) -> str:
    """The stored JSON of an obligation's row: its stored fields, rendered as responses are."""
    return FastJSONRenderer().render(obligation_stored_fields(row)).decode()


@extend_schema_view(
    list=list_doc(
        ObligationSerializer,
        summary="List obligations",
        description="For incremental sync: `updated_since` with `ordering=updated_at`. "
        "`updated_at` moves when the obligation itself changes; deadlines have their own.",
    ),
    retrieve=detail_doc(ObligationSerializer, summary="Read an obligation"),
    partial_update=write_doc(
        ObligationPatchSerializer,
        ObligationSerializer,
        summary="Change status, note, owner or analyst",
        description="Analysts change status and note; owner and analyst need a manager. "
        "Status moves only along the allowed transitions.",
    ),
    history=HISTORY_DOC,
)
class ObligationViewSet(ApiViewSet):
    filterset_class = ObligationFilter
    permission_classes = permissions.EDIT
    orderings = {
        "id": None,
        "updated_at": SortKey(F("updated_at"), parse_datetime),
        "next_deadline": SortKey(
            next_deadline_or_never(),
            parse_date,
            "Obligations without an open deadline come last in next_deadline order.",
            # The summaries' index is on (next deadline or never, obligation): many
            # obligations share a date, and all those without one share the last.
            tiebreak=F("deadline_summary__obligation"),
        ),
    }

    def get_queryset(self):
        # Filters, orderings and pages work on ids; the rows are read by id afterwards.
        return obligations_for_api()

    def list(self, request):
        # Each row's stored JSON where it is current (reports.obligation_json). The
        # unfiltered list in id order (how a sync walks it) reads its page in one query.
        entries = self.paginator.paginate_by_pk(
            request,
            self,
            lambda after, limit: obligation_json.page_after(after, limit, obligation_body),
        )
        if entries is None:
            page = self.page(self.get_queryset())
            entries = obligation_json.by_id([row["id"] for row in page], obligation_body)
        return self.paginator.get_paginated_response(self._fragments(entries))

    def retrieve(self, request, pk):
        if request.META.get("HTTP_IF_NONE_MATCH"):
            etag = obligation_current_etag(int(pk))
            if etag is None:
                raise Http404
            if not_modified(request, etag):
                return Response(status=304, headers={"ETag": etag})
        (data,) = self._json([self._row(pk)])
        return Response(data, headers={"ETag": data["etag"]})

    def partial_update(self, request, pk):
        row = self._row(pk)
        require_if_match(request, obligation_etag_today(row))
        form = ObligationPatchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        reason = changes.pop("reason", "")
        self._check_assignment(changes, row)
        obligation_update(
            # The service locks and re-reads the row: the primary key is all it needs.
            obligation=Obligation(pk=row["id"]),
            by=request.user,
            reason=reason,
            expected_version=row["version"],
            **changes,
        )
        (data,) = self._json([self._row(pk)])
        return Response(data, headers={"ETag": data["etag"]})

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk):
        obligation = get_object_or_404(Obligation, pk=pk)
        return with_content_etag(request, history_json(obligation_history(obligation)))

    def _check_assignment(self, changes, row) -> None:
        """Owner and analyst are a manager's to change, as in the browser (sending the
        current value back is not a change)."""
        owner_changes = "owner" in changes and changes["owner"].code != row["owner_code"]
        analyst = changes.get("assigned_analyst")
        analyst_changes = (
            "assigned_analyst" in changes
            and (analyst.get_username() if analyst else None) != row["analyst_username"]
        )
        if (owner_changes or analyst_changes) and not roles.can_assign(self.request.user):
            raise PermissionDenied(_("Only a manager may change the owner or the analyst."))

    @staticmethod
    def _row(pk) -> dict:
        rows = obligation_rows_by_id([int(pk)])
        if not rows:
            raise Http404
        return rows[0]

    def _json(self, rows):
        base = absolute_url(self.request, "api:obligation-list")
        today = timezone.localdate()
        json_rows = []
        for row in rows:
            overdue = obligation_overdue(row, today)
            json_rows.append(
                {
                    **obligation_stored_fields(row),
                    "overdue": overdue,
                    "url": f"{base}{row['id']}/",
                    "history": f"{base}{row['id']}/history/",
                    "etag": obligation_etag(row, overdue),
                }
            )
        return json_rows

    def _fragments(self, entries) -> orjson.Fragment:
        """The page's rows: stored bodies with what `_json` adds, written as its JSON (a
        test holds the two equal). Only the base URL needs escaping: ids, versions and
        dates, and so the ETag's text, are digits, letters and hyphens."""
        base = orjson.dumps(absolute_url(self.request, "api:obligation-list")).decode()[1:-1]
        today = timezone.localdate()
        rows = []
        for entry in entries:
            pk = entry["id"]
            overdue = obligation_overdue(entry, today)
            etag = obligation_etag(entry, overdue)[1:-1]
            rows.append(
                f'{entry["body"][:-1]},"overdue":{"true" if overdue else "false"},'
                f'"url":"{base}{pk}/","history":"{base}{pk}/history/","etag":"\\"{etag}\\""}}'
            )
        return orjson.Fragment("[" + ",".join(rows) + "]")


def deadline_timing(row, today: dt.date) -> rules.Timing:
    return rules.timing(
        scheduled_on=row["scheduled_on"],
        today=today,
        delivered_on=row["delivered_on"],
        waived=row["state"] == DeadlineState.WAIVED,
    )


def deadline_etag(row, timing: rules.Timing) -> str:
    return version_etag("deadline", row["id"], row["version"], timing)


def deadline_etag_today(row) -> str:
    return deadline_etag(row, deadline_timing(row, timezone.localdate()))


def deadline_current_etag(pk: int) -> str | None:
    """The deadline's ETag now (one query, its row); None if there is none."""
    row = deadline_rows().filter(pk=pk).first()
    return None if row is None else deadline_etag_today(row)


def _action_doc(request, summary: str, description: str):
    return write_doc(
        request, DeadlineSerializer, summary=summary, description=description, extra_errors=[409]
    )


@extend_schema_view(
    list=list_doc(DeadlineSerializer, summary="List deadlines"),
    retrieve=detail_doc(DeadlineSerializer, summary="Read a deadline"),
    deliver=_action_doc(
        DeliverSerializer,
        "Record a delivery",
        "The obligation moves forward as in the browser (in progress; completed when a "
        "report's last deadline is settled). 409 if the deadline is not open.",
    ),
    reschedule=_action_doc(
        RescheduleSerializer,
        "Move the scheduled date",
        "The nominal date stays; the reason is kept in the history. 409 if not open.",
    ),
    waive=_action_doc(
        WaiveSerializer,
        "Waive this occurrence",
        "It will not be delivered; the reason is kept. 409 if not open.",
    ),
    history=HISTORY_DOC,
)
class DeadlineViewSet(ApiViewSet):
    filterset_class = DeadlineFilter
    permission_classes = permissions.EDIT
    orderings = {
        "id": None,
        "scheduled_on": SortKey(F("scheduled_on"), parse_date),
        "updated_at": SortKey(F("updated_at"), parse_datetime),
    }

    def get_queryset(self):
        return deadline_rows()

    def list(self, request):
        return self.paginator.get_paginated_response(self._json(self.page(self.get_queryset())))

    def retrieve(self, request, pk):
        row = row_or_404(self.get_queryset(), pk)
        etag = deadline_etag_today(row)
        if not_modified(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(self._json([row])[0], headers={"ETag": etag})

    @action(detail=True, methods=["post"])
    def deliver(self, request, pk):
        return self._act(request, pk, DeliverSerializer, deadline_deliver)

    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk):
        return self._act(request, pk, RescheduleSerializer, deadline_reschedule)

    @action(detail=True, methods=["post"])
    def waive(self, request, pk):
        return self._act(request, pk, WaiveSerializer, deadline_waive)

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk):
        deadline = get_object_or_404(Deadline, pk=pk)
        return with_content_etag(request, history_json(deadline_history(deadline)))

    def _act(self, request, pk, form_class, service):
        """If-Match, then the body, then the service with the version that was matched."""
        row = row_or_404(self.get_queryset(), pk)
        require_if_match(request, deadline_etag_today(row))
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        service(
            # The service locks and re-reads the row: the primary key is all it needs.
            deadline=Deadline(pk=row["id"]),
            by=request.user,
            expected_version=row["version"],
            **form.validated_data,
        )
        (data,) = self._json([row_or_404(self.get_queryset(), pk)])
        return Response(data, headers={"ETag": data["etag"]})

    def _json(self, rows):
        base = absolute_url(self.request, "api:deadline-list")
        today = timezone.localdate()
        json_rows = []
        for row in rows:
            timing = deadline_timing(row, today)
            json_rows.append(
                {
                    "id": row["id"],
                    "obligation": row["obligation_pk"],
                    "schedule": row["schedule_id"],
                    "sequence": row["sequence"],
                    "due_on": row["due_on"],
                    "scheduled_on": row["scheduled_on"],
                    "scheduled_reason": row["scheduled_reason"],
                    "status": row["state"],
                    "timing": timing,
                    "delivered_on": row["delivered_on"],
                    "document_symbol": row["document_symbol"],
                    "waived_reason": row["waived_reason"],
                    "version": row["version"],
                    "updated_at": row["updated_at"],
                    "url": f"{base}{row['id']}/",
                    "history": f"{base}{row['id']}/history/",
                    "etag": deadline_etag(row, timing),
                }
            )
        return json_rows


@extend_schema_view(
    list=list_doc(ScheduleSerializer, summary="List schedules (deadline rules)"),
    retrieve=detail_doc(ScheduleSerializer, summary="Read a schedule"),
    history=HISTORY_DOC,
)
class ScheduleViewSet(SerializedViewSet):
    # Read-only: schedule rules are a manager's work, in the browser.

    queryset = Schedule.objects.all()
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk):
        return with_content_etag(request, history_json(schedule_history(self.get_object())))
