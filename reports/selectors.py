import datetime as dt

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from paragraphs.enums import ParagraphKind
from paragraphs.models import Actor, Evidence, Obligation, Paragraph, Resolution
from paragraphs.querysets import paragraph_text_contains
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Deadline, DeadlineSummary
from reports.querysets import PERIOD_END, TOLERANCE, TextList


# An obligation's next deadline, from its summary: a subquery by primary key rather than a
# join, which PostgreSQL merged over the whole summary index on pages deep in the table
# (9 ms at obligation 50,000 of 100,000 against 1 ms); none when it has no summary yet.
def _from_summary(field: str):
    return Subquery(DeadlineSummary.objects.filter(obligation=OuterRef("pk")).values(field))


NEXT_DEADLINE = _from_summary("next_deadline")
OVERDUE_FROM = _from_summary("overdue_from")
OPEN_DEADLINES = _from_summary("open")
PERIOD_ENDS_ON = F("paragraph__resolution__mandate_expires_on")


def obligations_with_next_deadline():
    """Obligations annotated with `next_deadline` (the earliest open scheduled date),
    `overdue_from`, `open_deadlines` and `period_ends_on`."""
    return (
        Obligation.objects.select_related("owner", "assigned_analyst")
        .annotate(
            next_deadline=NEXT_DEADLINE,
            overdue_from=OVERDUE_FROM,
            open_deadlines=OPEN_DEADLINES,
            period_ends_on=PERIOD_ENDS_ON,
        )
        .order_by("id")
    )


def preambular_paragraphs(resolution: Resolution):
    return (
        Paragraph.objects.filter(resolution=resolution, kind=ParagraphKind.PREAMBULAR)
        .order_by("position")
        .prefetch_related("texts")
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
        text_match = paragraph_text_contains(q) | Q(summary_en__icontains=q)
        obligation_match = Q(summary__icontains=q) | Q(note__icontains=q)
        paragraphs = paragraphs.filter(
            text_match | Q(obligations__in=Obligation.objects.filter(obligation_match))
        )
        obligations = obligations.filter(
            obligation_match
            | paragraph_text_contains(q, paragraph="paragraph_id")
            | Q(paragraph__summary_en__icontains=q)
        )
    if owner or status:
        paragraphs = paragraphs.filter(obligations__in=obligations.values("pk"))
    paragraphs = list(
        paragraphs.distinct()
        .order_by("position")
        .prefetch_related("texts", Prefetch("obligations", queryset=obligations))
    )
    for paragraph in paragraphs:
        for obligation in paragraph.obligations.all():
            due = obligation.next_deadline
            obligation.days_left = rules.days_left(due, today) if due else None
            obligation.overdue = rules.obligation_overdue(
                obligation.overdue_from, today, obligation.period_ends_on
            )
            obligation.to_reconcile = rules.to_reconcile(
                open_deadlines=obligation.open_deadlines or 0,
                today=today,
                period_ends_on=obligation.period_ends_on,
            )
            obligation.days_overdue = -obligation.days_left if obligation.overdue else 0
    return paragraphs


def obligation_for_page(pk: int) -> Obligation:
    """An obligation with its paragraph, people, evidence and deadlines, in five queries."""
    return (
        Obligation.objects.select_related(
            "paragraph__resolution__mandate", "owner", "assigned_analyst", "carried_forward_to"
        )
        .prefetch_related(
            "contributors",
            "carried_forward_from",
            "paragraph__texts",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("schedules__deadlines", queryset=Deadline.objects.order_by("sequence")),
        )
        .get(pk=pk)
    )


# Reads for the API: plain values, no model instances, so that a page of 200 rows costs two
# queries and a dict per row rather than five model instances per row.

OBLIGATION_ROW = (
    "id",
    "contributor_codes",
    "key",
    "summary",
    "kind",
    "status",
    "note",
    "version",
    "updated_at",
    "resolution_pk",
    "resolution_symbol",
    "paragraph_number",
    "owner_code",
    "analyst_username",
    "next_deadline",
    "overdue_from",
    "open_deadlines",
    "period_ends_on",
)


# An obligation's contributors' codes in one text (codes are slugs: no comma in them).
CONTRIBUTOR_CODES = Subquery(
    Obligation.contributors.through.objects.filter(obligation_id=OuterRef("pk"))
    .order_by()
    .values("obligation_id")
    .annotate(codes=TextList("actor__code", separator=","))
    .values("codes")
)


def obligation_rows():
    """Obligations as the API shows them, as dicts of OBLIGATION_ROW, contributors
    included, in one query (`contributors` gives the codes as a list). An obligation whose
    deadlines were never written has no summary row, and so no next deadline."""
    return (
        Obligation.objects.annotate(
            contributor_codes=CONTRIBUTOR_CODES,
            resolution_pk=F("paragraph__resolution_id"),
            resolution_symbol=F("paragraph__resolution__symbol"),
            paragraph_number=F("paragraph__number"),
            owner_code=F("owner__code"),
            analyst_username=F("assigned_analyst__username"),
            next_deadline=NEXT_DEADLINE,
            overdue_from=OVERDUE_FROM,
            open_deadlines=OPEN_DEADLINES,
            period_ends_on=PERIOD_ENDS_ON,
        )
        .order_by()
        .values(*OBLIGATION_ROW)
    )


def contributors(row: dict) -> list[str]:
    """The contributors' codes of a row of `obligation_rows`, sorted."""
    return sorted(row["contributor_codes"].split(",")) if row["contributor_codes"] else []


DEADLINE_ROW = (
    "id",
    "obligation_pk",
    "schedule_id",
    "sequence",
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
    "version",
    "updated_at",
    "tolerance_days",
    "period_ends_on",
)


# What `deadline_timing` reads of a deadline, for `.values()`: its own fields, and from its
# schedule and resolution the tolerance and the end of its mandate period.
TIMING_FIELDS = ("scheduled_on", "state", "dated_on", "circulated_on", "delivered_by")
TIMING_FROM_RELATED = {"tolerance_days": F(TOLERANCE), "period_ends_on": F(PERIOD_END)}


def deadline_rows():
    """Deadlines as dicts of DEADLINE_ROW, in one query."""
    return (
        Deadline.objects.annotate(obligation_pk=F("schedule__obligation_id"), **TIMING_FROM_RELATED)
        .order_by()
        .values(*DEADLINE_ROW)
    )


def deadline_timing(row: dict, today) -> rules.Timing:
    """The timing on `today` of a row with TIMING_FIELDS and TIMING_FROM_RELATED."""
    return rules.timing(
        scheduled_on=row["scheduled_on"],
        today=today,
        delivered=row["state"] == DeadlineState.DELIVERED,
        delivered_on=rules.delivery_date(
            circulated_on=row["circulated_on"], dated_on=row["dated_on"]
        ),
        delivered_by=row["delivered_by"],
        waived=row["state"] == DeadlineState.WAIVED,
        tolerance_days=row["tolerance_days"],
        period_ends_on=row["period_ends_on"],
    )
