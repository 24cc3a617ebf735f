import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from reports import scale
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(response) -> list[dict]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    # A row ends at its last written cell: empty cells after it are not in the file.
    return [
        dict(zip(header, row + (None,) * (len(header) - len(row)), strict=True)) for row in rows
    ]


def test_obligations_csv_has_text_owners_dates_and_status(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/export/obligations.csv?resolution=2692")

    assert response["Content-Disposition"] == (
        'attachment; filename="mandate-tracker-obligations-2023-09-01.csv"'
    )
    rows = _csv(response)
    assert len(rows) == 24
    options = next(r for r in rows if r["Obligation key"] == "2692-op18-options-report")
    assert options["Resolution"] == "S/RES/2692 (2023)"
    assert options["Paragraph"] == "18"
    assert options["Paragraph text (Chinese, authoritative)"].startswith("请秘书长")
    assert options["Owner"] == "Secretary-General"
    assert options["Contributors"] == "Government and authorities of Haiti"
    assert options["Status"] == "Completed"
    assert options["Kind"] == "Report"
    assert options["Next open deadline"] == ""
    sg = next(r for r in rows if r["Obligation key"] == "2692-op1-sg-reports")
    assert sg["Next open deadline"] == ""  # all four are recorded as delivered
    assert sg["Contributors"] == "United Nations Integrated Office in Haiti"


def test_deadlines_xlsx_opens_with_the_right_rows(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    response = client.get("/dashboard/export/deadlines.xlsx?resolution=2692&owner=unodc")

    rows = _xlsx(response)
    assert [(r["Occurrence"], r["Scheduled date"].date()) for r in rows] == [
        (1, dt.date(2023, 10, 15)),
        (2, dt.date(2024, 1, 15)),
        (3, dt.date(2024, 4, 15)),
        (4, dt.date(2024, 7, 15)),
    ]
    assert {r["Owner"] for r in rows} == {"UNODC"}
    assert rows[0]["State"] == "Delivered"
    assert rows[0]["Circulated on"].date() == dt.date(2023, 10, 17)
    assert rows[0]["Tolerance (days)"] == 3
    assert rows[0]["Mandate period ends"].date() == dt.date(2024, 7, 15)
    # About 24 January 2024: delivered, the date not confirmed, with its evidence.
    assert (rows[1]["Circulated on"], rows[1]["Delivered by (date not confirmed)"].date()) == (
        None,
        dt.date(2024, 1, 25),
    )
    assert rows[1]["Timing"] == "Upcoming"  # on 1 September 2023 it did not exist yet
    assert "Released yesterday" in rows[1]["Evidence of delivery"]
    assert rows[0]["Obligation"].startswith("Report to the Council through the Secretary-General")


def test_exports_as_of_a_past_day(client, viewer, res2692, frozen_clock):
    frozen_clock.move_to(dt.datetime(2024, 8, 1, 14, 0, tzinfo=dt.UTC))
    client.force_login(viewer)

    rows = _csv(client.get("/dashboard/export/deadlines.csv?resolution=2692&as_of=2023-09-01"))

    states = {(r["Paragraph"], r["Occurrence"]): (r["State"], r["Timing"]) for r in rows}
    assert states[("18", "1")] == ("Delivered", "Delivered on time")
    assert states[("9", "1")] == ("Open", "Upcoming")  # delivered only on 17 October
    obligations = _csv(client.get("/dashboard/export/obligations.csv?as_of=2023-09-01"))
    statuses = {r["Obligation key"]: r["Status"] for r in obligations}
    assert statuses["2692-op9-unodc-reports"] == "Not started"
    assert statuses["2692-op18-options-report"] == "Completed"


def test_deadline_export_respects_the_date_range(client, viewer, res2692, frozen_clock):
    client.force_login(viewer)

    rows = _csv(client.get("/dashboard/export/deadlines.csv?due_from=2024-07-01"))

    assert sorted({r["Scheduled date"] for r in rows}) == ["2024-07-15"]
    # The reports of the Secretary-General and UNODC, the annex, the progress report and
    # the mandate expiry.
    assert len(rows) == 5


def test_user_text_that_looks_like_a_formula_stays_text(client, viewer, frozen_clock):
    formula = '=HYPERLINK("http://example.org","click")'
    ObligationFactory(summary=formula, key="formula")
    client.force_login(viewer)

    (row,) = _csv(client.get("/dashboard/export/obligations.csv"))
    response = client.get("/dashboard/export/obligations.xlsx")

    assert row["Obligation"] == f"'{formula}"
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == (formula, "s")


def test_export_with_invalid_filters_is_a_bad_request(client, viewer):
    client.force_login(viewer)

    response = client.get("/dashboard/export/obligations.xlsx?as_of=someday")

    assert response.status_code == 400
    assert response.content.decode() == "Invalid filters: as_of: Enter a valid date."


def test_unknown_export_is_not_found(client, viewer):
    client.force_login(viewer)

    assert client.get("/dashboard/export/users.csv").status_code == 404
    assert client.get("/dashboard/export/deadlines.pdf").status_code == 404


@pytest.mark.parametrize("deadlines", [2, 600])
@pytest.mark.parametrize("path", ["obligations.csv", "deadlines.csv", "deadlines.xlsx"])
def test_export_query_count_is_constant(
    client, viewer, frozen_clock, django_assert_num_queries, deadlines, path
):
    scale.generate(
        scale.ScaleSpec(
            resolutions=3, obligations=30, deadlines=deadlines, today=dt.date(2023, 9, 1)
        )
    )
    client.force_login(viewer)
    client.get("/dashboard/")

    # session, user, permissions (user's, groups'), the rows (one server-side cursor)
    with django_assert_num_queries(5):
        response = client.get(f"/dashboard/export/{path}?periods=all")
        rows = _csv(response) if path.endswith("csv") else _xlsx(response)
    assert len(rows) == (30 if path.startswith("obligations") else deadlines)
