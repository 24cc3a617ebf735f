import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_sees_the_dashboard_chart_in_chromium(
    page, live_server, login, manager, res2692, screenshot
):
    login(manager)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Mid-mandate, so the chart shows past deliveries, what was overdue and what was coming.
    page.goto(f"{live_server.url}/dashboard/?resolution=2692&as_of=2024-02-01")

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Deadline dashboard: S/RES/2692 (2023)"
    )
    chart = page.locator("svg.timeline-chart")
    assert chart.is_visible()
    assert chart.evaluate("svg => svg.getBoundingClientRect().width") > 800
    # Four quarterly schedules of four deadlines, the options report and the mandate
    # expiry: eighteen marks, each drawn with a size.
    marks = page.locator("svg.timeline-chart circle.mark")
    assert marks.count() == 18
    assert marks.first.evaluate("c => c.getBoundingClientRect().width") > 0
    # Delivered by 1 February 2024 on a known day: the options report, UNODC's October
    # report, S/2024/62 with its annex and progress report. S/2023/768, its annex and
    # progress report, and UNODC's January report: delivered, the day not confirmed.
    assert page.locator("svg.timeline-chart use.delivered").count() == 5
    assert page.locator("svg.timeline-chart g.timing-unconfirmed").count() == 4
    assert page.locator("svg.timeline-chart line.today").count() == 1
    assert page.locator(".status-grid .cell").count() == 19
    screenshot("dashboard")
