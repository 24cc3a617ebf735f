import datetime as dt

from django.db.models import Min, Prefetch, Q

from paragraphs.enums import ParagraphKind
from paragraphs.models import Actor, Evidence, Obligation, Paragraph, Resolution
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline


def obligations_with_next_deadline():
    """Obligations annotated with `next_deadline`: the earliest open scheduled date."""
    return (
        Obligation.objects.select_related("owner", "assigned_analyst")
        .annotate(
            next_deadline=Min(
                "schedules__deadlines__scheduled_on",
                filter=Q(schedules__deadlines__state=DeadlineState.OPEN),
            )
        )
        .order_by("id")
    )


def preambular_paragraphs(resolution: Resolution):
    return Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.PREAMBULAR).order_by(
        "position"
    )


def resolution_overview(
    resolution: Resolution,
    *,
    today: dt.date,
    q: str = "",
    owner: Actor | None = None,
    status: str = "",
    verb: str = "",
) -> list[Paragraph]:
    """Operative paragraphs of a resolution with their obligations, in two queries.

    Filters narrow the obligations (owner, status) and the paragraphs (verb); the search
    matches paragraph text, summaries and progress notes, in Chinese or English. A
    paragraph is shown when it matches or keeps a matching obligation. Each obligation gets
    `next_deadline`, `days_left`, `overdue` and `days_overdue` for `today`.
    """
    obligations = obligations_with_next_deadline()
    if owner:
        obligations = obligations.filter(owner=owner)
    if status:
        obligations = obligations.filter(status=status)
    paragraphs = Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.OPERATIVE)
    if verb:
        paragraphs = paragraphs.filter(verb_category=verb)
    if q:
        text_match = Q(text_zh__icontains=q) | Q(summary_en__icontains=q)
        obligation_match = Q(summary__icontains=q) | Q(note__icontains=q)
        paragraphs = paragraphs.filter(
            text_match | Q(obligations__in=Obligation.objects.filter(obligation_match))
        )
        obligations = obligations.filter(
            obligation_match
            | Q(paragraph__text_zh__icontains=q)
            | Q(paragraph__summary_en__icontains=q)
        )
    if owner or status:
        paragraphs = paragraphs.filter(obligations__in=obligations.values("pk"))
    paragraphs = list(
        paragraphs.distinct()
        .order_by("position")
        .prefetch_related(Prefetch("obligations", queryset=obligations))
    )
    for paragraph in paragraphs:
        for obligation in paragraph.obligations.all():
            due = obligation.next_deadline
            obligation.days_left = rules.days_left(due, today) if due else None
            obligation.overdue = bool(due) and rules.is_overdue(due, today)
            obligation.days_overdue = -obligation.days_left if obligation.overdue else 0
    return paragraphs


def obligation_for_page(pk: int) -> Obligation:
    """An obligation with its paragraph, people, evidence and deadlines, in five queries."""
    return (
        Obligation.objects.select_related("paragraph__resolution", "owner", "assigned_analyst")
        .prefetch_related(
            "contributors",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("schedules__deadlines", queryset=Deadline.objects.order_by("sequence")),
        )
        .get(pk=pk)
    )
