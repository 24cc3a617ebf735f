import datetime as dt

from django.db.models import Min, Prefetch, Q

from paragraphs.enums import ParagraphKind
from paragraphs.models import Obligation, Paragraph, Resolution
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline


def obligations_with_next_deadline():
    """Obligations annotated with `next_deadline`: the earliest open scheduled date."""
    return (
        Obligation.objects.select_related("owner", "assigned_analyst")
        .prefetch_related("contributors")
        .annotate(
            next_deadline=Min(
                "schedules__deadlines__scheduled_on",
                filter=Q(schedules__deadlines__state=DeadlineState.OPEN),
            )
        )
        .order_by("id")
    )


def resolution_overview(resolution: Resolution, *, today: dt.date) -> list[Paragraph]:
    """Operative paragraphs of a resolution with their obligations, in four queries.

    Each obligation gets `next_deadline`, `days_left`, `overdue` and `days_overdue` for `today`.
    """
    paragraphs = list(
        Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.OPERATIVE)
        .order_by("position")
        .prefetch_related(Prefetch("obligations", queryset=obligations_with_next_deadline()))
    )
    for paragraph in paragraphs:
        for obligation in paragraph.obligations.all():
            due = obligation.next_deadline
            obligation.days_left = rules.days_left(due, today) if due else None
            obligation.overdue = bool(due) and rules.is_overdue(due, today)
            obligation.days_overdue = -obligation.days_left if obligation.overdue else 0
    return paragraphs


def obligation_for_page(pk: int) -> Obligation:
    """An obligation with its paragraph, people and schedules' deadlines, in four queries."""
    return (
        Obligation.objects.select_related("paragraph__resolution", "owner", "assigned_analyst")
        .prefetch_related(
            "contributors",
            Prefetch("schedules__deadlines", queryset=Deadline.objects.order_by("sequence")),
        )
        .get(pk=pk)
    )
