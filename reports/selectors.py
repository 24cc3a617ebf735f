import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import F, Prefetch, Q

from mandate_tracker import prepared
from paragraphs.enums import ParagraphKind
from paragraphs.models import Actor, Evidence, Obligation, Paragraph, Resolution
from reports import schedule as rules
from reports.models import Deadline, DeadlineSummary

NEXT_DEADLINE = F("deadline_summary__next_deadline")


def obligations_with_next_deadline():
    """Obligations annotated with `next_deadline`: the earliest open scheduled date."""
    return (
        Obligation.objects.select_related("owner", "assigned_analyst")
        .annotate(next_deadline=NEXT_DEADLINE)
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


# Reads for the API: plain values, no model instances, so that a page of 50 rows costs a
# query or two and a dict per row rather than a serializer per row.

OBLIGATION_ROW = (
    "id",
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
)


def obligations_for_api():
    """What the API filters, orders and pages obligations over (it reads only their ids,
    then their rows with `obligation_rows_by_id`).

    Joined to the summaries, not outer-joined: every obligation has one (a trigger writes
    it), and only an inner join lets PostgreSQL read a page in next-deadline order from
    the summaries' index instead of sorting every obligation."""
    return (
        Obligation.objects.filter(deadline_summary__isnull=False)
        .annotate(next_deadline=NEXT_DEADLINE)
        .order_by()
        .values("id")
    )


def obligation_rows():
    """Obligations as dicts of OBLIGATION_ROW, in one query: the reference for the
    prepared statement below, and what SQLite (`make run`) reads."""
    return (
        Obligation.objects.annotate(
            resolution_pk=F("paragraph__resolution_id"),
            resolution_symbol=F("paragraph__resolution__symbol"),
            paragraph_number=F("paragraph__number"),
            owner_code=F("owner__code"),
            analyst_username=F("assigned_analyst__username"),
            next_deadline=NEXT_DEADLINE,
        )
        .order_by()
        .values(*OBLIGATION_ROW)
    )


# Table names for the hand-written statements, from the models.
TABLES = {
    "obligation": Obligation._meta.db_table,
    "paragraph": Paragraph._meta.db_table,
    "resolution": Resolution._meta.db_table,
    "actor": Actor._meta.db_table,
    "user": Obligation.assigned_analyst.field.related_model._meta.db_table,
    "summary": DeadlineSummary._meta.db_table,
    "contributor": Obligation.contributors.through._meta.db_table,
}

# The rows of some obligations with their contributors: `{members}` says which (the page's
# contributors are grouped once; a subquery per row costs a third more); `{extra}` adds
# columns after the contributors.
OBLIGATION_ROWS_SQL = """
    {page}SELECT o.id, o.key, o.summary, o.kind, o.status, o.note, o.version, o.updated_at,
           p.resolution_id, r.symbol, p.number, a.code, u.username, s.next_deadline,
           coalesce(c.codes, '{{}}'){extra}
    FROM {obligation} o
    JOIN {paragraph} p ON p.id = o.paragraph_id
    JOIN {resolution} r ON r.id = p.resolution_id
    JOIN {actor} a ON a.id = o.owner_id
    LEFT JOIN {user} u ON u.id = o.assigned_analyst_id
    LEFT JOIN {summary} s ON s.obligation_id = o.id
    LEFT JOIN (
        SELECT oc.obligation_id, array_agg(ca.code ORDER BY ca.code) AS codes
        FROM {contributor} oc JOIN {actor} ca ON ca.id = oc.actor_id
        WHERE oc.obligation_id {members}
        GROUP BY oc.obligation_id
    ) c ON c.obligation_id = o.id
    WHERE o.id {members}{order}
"""
OBLIGATION_ROWS = prepared.Statement(
    name="mt_obligation_rows",
    types=("bigint[]",),
    sql=OBLIGATION_ROWS_SQL.format(page="", members="= ANY($1)", order="", extra="", **TABLES),
)
# One page of the unfiltered list in id order, ids and rows in a single statement.
OBLIGATION_PAGE = prepared.Statement(
    name="mt_obligation_page",
    types=("bigint", "integer"),
    sql=OBLIGATION_ROWS_SQL.format(
        page=f"WITH page AS (SELECT id FROM {TABLES['obligation']} "
        "WHERE id > $1 ORDER BY id LIMIT $2)\n",
        # An array, as in OBLIGATION_ROWS: its generic plan then looks the page's rows up
        # by id (with `IN (SELECT …)` it guessed a third of the table and scanned it).
        members="= ANY(ARRAY(SELECT id FROM page))",
        order=" ORDER BY o.id",
        extra="",
        **TABLES,
    ),
)
OBLIGATION_ROW_KEYS = (*OBLIGATION_ROW, "contributors")


def obligation_rows_by_id(ids: list[int]) -> list[dict]:
    """The rows of these obligations (OBLIGATION_ROW and `contributors`), in the order of
    `ids`; unknown ids are left out.

    On PostgreSQL one prepared statement, planned once per connection (the API reads a
    page of rows many times a second); elsewhere `obligation_rows` and
    `contributor_codes`. A test holds the two to the same rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            OBLIGATION_ROWS.execute(cursor, [list(ids)])
            rows = {
                row[0]: dict(zip(OBLIGATION_ROW_KEYS, row, strict=True))
                for row in cursor.fetchall()
            }
    else:
        rows = {row["id"]: row for row in obligation_rows().filter(pk__in=ids)}
        codes = contributor_codes(list(rows))
        for pk, row in rows.items():
            row["contributors"] = codes.get(pk, [])
    return [rows[pk] for pk in ids if pk in rows]


def obligation_rows_after(after_pk: int, limit: int) -> list[dict]:
    """The first `limit` obligations whose id is above `after_pk`, in id order, as
    `obligation_rows_by_id` gives them: a page of the unfiltered list (the pages a sync
    walks) in one prepared statement on PostgreSQL, two queries elsewhere."""
    if connection.vendor != "postgresql":
        ids = Obligation.objects.filter(pk__gt=after_pk).order_by("pk").values_list("pk")
        return obligation_rows_by_id([pk for (pk,) in ids[:limit]])
    with connection.cursor() as cursor:
        OBLIGATION_PAGE.execute(cursor, [after_pk, limit])
        return [dict(zip(OBLIGATION_ROW_KEYS, row, strict=True)) for row in cursor.fetchall()]


OBLIGATION_VERSION = prepared.Statement(
    name="mt_obligation_version",
    types=("bigint",),
    sql="""
        SELECT o.id, o.version, s.next_deadline
        FROM {obligation} o LEFT JOIN {summary} s ON s.obligation_id = o.id
        WHERE o.id = $1
    """.format(**TABLES),
)


def obligation_version(pk: int) -> dict | None:
    """Just what an obligation's ETag is made of (id, version, next_deadline), so that a
    conditional GET answers 304 without building the row: two primary-key lookups, the
    obligation and its summary, prepared on PostgreSQL (see `obligation_rows_by_id`)."""
    with connection.cursor() as cursor:
        OBLIGATION_VERSION.execute(cursor, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    # A date from PostgreSQL, text from SQLite (`make run`): the field reads both.
    next_deadline = DeadlineSummary._meta.get_field("next_deadline").to_python(row[2])
    return {"id": row[0], "version": row[1], "next_deadline": next_deadline}


def contributor_codes(obligation_ids) -> dict[int, list[str]]:
    """Each obligation's contributors (actor codes, sorted), in one query."""
    codes = defaultdict(list)
    through = Obligation.contributors.through.objects.filter(obligation_id__in=obligation_ids)
    for obligation_id, code in through.order_by("actor__code").values_list(
        "obligation_id", "actor__code"
    ):
        codes[obligation_id].append(code)
    return codes


DEADLINE_ROW = (
    "id",
    "obligation_pk",
    "schedule_id",
    "sequence",
    "due_on",
    "scheduled_on",
    "scheduled_reason",
    "state",
    "delivered_on",
    "document_symbol",
    "waived_reason",
    "version",
    "updated_at",
)


def deadline_rows():
    """Deadlines as dicts of DEADLINE_ROW, in one query."""
    return (
        Deadline.objects.annotate(obligation_pk=F("schedule__obligation_id"))
        .order_by()
        .values(*DEADLINE_ROW)
    )
