"""CSV and XLSX exports of obligations and deadlines, with the dashboard's filters.

Each export is one query read through a server-side cursor (`iterator`), so memory and
query count stay flat; CSV is streamed as it is read.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.models import Obligation
from paragraphs.querysets import paragraph_first_text
from reports.dashboard import selectors
from reports.dashboard.snapshot import Snapshot
from reports.enums import DeadlineState
from reports.querysets import TextList, next_deadline_aggregate

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    format: Callable = lambda value: value


def _label(choices) -> Callable:
    return lambda value: str(choices(value).label) if value else ""


OBLIGATION_COLUMNS = [
    Column(_("Resolution"), "resolution"),
    Column(_("Paragraph"), "paragraph_number"),
    Column(_("Paragraph text (Chinese, authoritative)"), "paragraph_text"),
    Column(_("Paragraph summary (English)"), "paragraph_summary"),
    Column(_("Obligation key"), "key"),
    Column(_("Obligation"), "summary"),
    Column(_("Kind"), "kind", _label(ObligationKind)),
    Column(_("Owner"), "owner_name"),
    Column(_("Contributors"), "contributor_names", lambda value: value or ""),
    Column(_("Status"), "status", _label(ObligationStatus)),
    Column(_("Assigned analyst"), "analyst", lambda value: value or ""),
    Column(_("Next open deadline"), "next_deadline"),
    Column(_("Overdue deadlines"), "overdue"),
]

DEADLINE_COLUMNS = [
    Column(_("Resolution"), "resolution_symbol"),
    Column(_("Paragraph"), "paragraph_number"),
    Column(_("Paragraph text (Chinese, authoritative)"), "paragraph_text"),
    Column(_("Obligation key"), "obligation_key"),
    Column(_("Obligation"), "obligation_summary"),
    Column(_("Owner"), "owner"),
    Column(_("Obligation status"), "obligation_status", _label(ObligationStatus)),
    Column(_("Schedule"), "schedule_label"),
    Column(_("Occurrence"), "sequence"),
    Column(_("Nominal due date"), "due_on"),
    Column(_("Scheduled date"), "scheduled_on"),
    Column(_("Reason for the scheduled date"), "scheduled_reason"),
    Column(_("State"), "state", _label(DeadlineState)),
    Column(_("Timing"), "timing_label", str),
    Column(_("Document dated"), "dated_on"),
    Column(_("Circulated on"), "circulated_on"),
    Column(_("Delivered by (date not confirmed)"), "delivered_by"),
    Column(_("Evidence of delivery"), "delivery_evidence"),
    Column(_("Document symbol"), "document_symbol"),
    Column(_("Tolerance (days)"), "tolerance_days"),
    Column(_("Mandate period ends"), "period_ends_on"),
]


def obligation_rows(s: Snapshot) -> Iterator[dict]:
    contributors = (
        Obligation.contributors.through.objects.filter(obligation_id=OuterRef("id"))
        .order_by()
        .values("obligation_id")
        .annotate(names=TextList("actor__name_en", separator="; "))
        .values("names")
    )
    next_deadline = (
        s.deadlines.filter(schedule__obligation_id=OuterRef("id"))
        .order_by()
        .values("schedule__obligation_id")
        .annotate(day=next_deadline_aggregate())
        .values("day")
    )
    overdue = (
        s.deadlines.filter(selectors.overdue_q(s), schedule__obligation_id=OuterRef("id"))
        .order_by()
        .values("schedule__obligation_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        s.obligations.order_by("paragraph__resolution__number", "paragraph__position", "id")
        .values(
            "key",
            "summary",
            "kind",
            "status",
            resolution=F("paragraph__resolution__symbol"),
            paragraph_number=F("paragraph__number"),
            paragraph_text=paragraph_first_text(paragraph="paragraph_id"),
            paragraph_summary=F("paragraph__summary_en"),
            owner_name=F("owner__name_en"),
            analyst=F("assigned_analyst__username"),
            contributor_names=Subquery(contributors),
            next_deadline=Subquery(next_deadline),
            overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
        )
        .iterator(chunk_size=CHUNK)
    )


def deadline_rows(s: Snapshot) -> Iterator[dict]:
    rows = selectors.deadline_rows(
        s,
        s.deadlines.order_by(
            "schedule__obligation__paragraph__resolution__number",
            "schedule__obligation__paragraph__position",
            "schedule__obligation_id",
            "schedule_id",
            "sequence",
        ),
        fields=["scheduled_reason"],
        extra={
            "paragraph_text": paragraph_first_text(paragraph="schedule__obligation__paragraph_id"),
            "obligation_key": F("schedule__obligation__key"),
            "obligation_status": s.of_obligation(lambda prefix: F(f"{prefix}status")),
        },
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield selectors.add_timing(s, row)


# A spreadsheet program runs a cell that starts with one of these as a formula; text
# written by users must stay text (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells(columns: list[Column], rows: Iterable[dict]) -> Iterator[list]:
    yield [str(column.header) for column in columns]
    for row in rows:
        yield [column.format(row[column.key]) for column in columns]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], rows: Iterable[dict]) -> Iterator[str]:
    """CSV lines, starting with a byte-order mark so spreadsheet programs read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for cells in _cells(columns, rows):
        yield writer.writerow(
            f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in cells
        )


def _text_cell(sheet, value):
    """openpyxl stores a string starting with "=" as a formula; keep user text as text."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(columns: list[Column], rows: Iterable[dict], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    for cells in _cells(columns, rows):
        sheet.append([_text_cell(sheet, cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
