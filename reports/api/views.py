"""Obligations, schedules, deadlines and their history.

Obligations and deadlines are read as plain values (reports.selectors) and shaped by their
serializers, one row at a time, for lists and details alike; their ETag is a hash of that
JSON. Writes go through the same access checks and services as the browser, guarded by
If-Match (api.conditional).
"""

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from api import permissions
from api.conditional import not_modified, require_if_match
from api.pagination import SortKey, parse_date, parse_datetime
from api.schema import detail_doc, list_doc, write_doc
from api.views import ApiViewSet, absolute_url, with_content_etag
from paragraphs.models import Obligation
from paragraphs.services import obligation_update
from reports import access
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
from reports.history import deadline_history, obligation_history, schedule_history
from reports.models import Deadline, Schedule
from reports.querysets import next_deadline_or_never
from reports.selectors import deadline_rows, obligation_rows
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
            "token": (
                {"name": entry.token.name, "prefix": entry.token.prefix} if entry.token else None
            ),
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


class RowsViewSet(ApiViewSet):
    """Objects read as plain rows and shaped by the serializer, with ETags from their JSON:
    `list`, `retrieve` (304 when the client's ETag is current) and `write` for actions."""

    list_route: str

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "base": absolute_url(self.request, self.list_route),
            "today": timezone.localdate(),
        }

    def render(self, pk) -> dict:
        rows = list(self.get_queryset().filter(pk=pk))
        if not rows:
            raise Http404
        return self.get_serializer(rows[0]).data

    def list(self, request):
        rows = self.page(self.get_queryset())
        return self.paginator.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, pk):
        data = self.render(pk)
        if not_modified(request, data["etag"]):
            return Response(status=304, headers={"ETag": data["etag"]})
        return Response(data, headers={"ETag": data["etag"]})

    def write(self, request, pk, form_class, change) -> Response:
        """If-Match against the current JSON, then the body, then `change(current JSON,
        validated data)`, which passes the version it matched to a service (so a change
        committed in between is refused); answers the object as it is afterwards."""
        current = self.render(pk)
        require_if_match(request, current["etag"])
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        change(current, dict(form.validated_data))
        data = self.render(pk)
        return Response(data, headers={"ETag": data["etag"]})


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
class ObligationViewSet(RowsViewSet):
    filterset_class = ObligationFilter
    serializer_class = ObligationSerializer
    permission_classes = permissions.EDIT
    list_route = "api:obligation-list"
    orderings = {
        "id": None,
        "updated_at": SortKey(F("updated_at"), parse_datetime),
        "next_deadline": SortKey(
            next_deadline_or_never(),
            parse_date,
            "Obligations without an open deadline come last in next_deadline order.",
        ),
    }

    def get_queryset(self):
        return obligation_rows()

    def partial_update(self, request, pk):
        def change(current, changes):
            reason = changes.pop("reason", "")
            obligation = access.get_obligation_for_user(
                request.user, pk, write=True, assign=_reassigns(current, changes)
            )
            obligation_update(
                obligation=obligation,
                by=request.user,
                reason=reason,
                expected_version=current["version"],
                **changes,
            )

        return self.write(request, pk, ObligationPatchSerializer, change)

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk):
        obligation = get_object_or_404(Obligation, pk=pk)
        return with_content_etag(request, history_json(obligation_history(obligation)))


def _reassigns(current: dict, changes: dict) -> bool:
    """Whether a PATCH changes the owner or the analyst (a manager's work): sending the
    current value back is no change."""
    if "owner" in changes and changes["owner"].code != current["owner"]:
        return True
    if "assigned_analyst" in changes:
        analyst = changes["assigned_analyst"]
        return (analyst.get_username() if analyst else None) != current["assigned_analyst"]
    return False


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
class DeadlineViewSet(RowsViewSet):
    filterset_class = DeadlineFilter
    serializer_class = DeadlineSerializer
    permission_classes = permissions.EDIT
    list_route = "api:deadline-list"
    orderings = {
        "id": None,
        "scheduled_on": SortKey(F("scheduled_on"), parse_date),
        "updated_at": SortKey(F("updated_at"), parse_datetime),
    }

    def get_queryset(self):
        return deadline_rows()

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
        def change(current, arguments):
            deadline = access.get_deadline_for_user(request.user, pk)
            service(
                deadline=deadline,
                by=request.user,
                expected_version=current["version"],
                **arguments,
            )

        return self.write(request, pk, form_class, change)


@extend_schema_view(
    list=list_doc(ScheduleSerializer, summary="List schedules (deadline rules)"),
    retrieve=detail_doc(ScheduleSerializer, summary="Read a schedule"),
    history=HISTORY_DOC,
)
class ScheduleViewSet(ApiViewSet):
    # Read-only: schedule rules are a manager's work, in the browser.

    queryset = Schedule.objects.all()
    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter

    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk):
        return with_content_etag(request, history_json(schedule_history(self.get_object())))
