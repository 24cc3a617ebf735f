"""An analyst's day in a real Chromium: deliver a report, refuse a viewer, resolve a conflict."""

import pytest
from playwright.sync_api import expect

from paragraphs.models import Obligation
from reports.models import Deadline
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _options_report():
    return Obligation.objects.get(key="2692-op18-options-report")


def test_analyst_marks_the_options_report_delivered(
    page, live_server, login, analyst, res2692_august_2023, screenshot
):
    login(analyst)
    screenshot("resolution-view")

    page.locator("#op18 .obligation a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("written report within 30 days")
    deadline = Deadline.objects.get(schedule__obligation=_options_report())
    row = page.locator(f"#deadline-{deadline.pk}")
    row.get_by_text("Mark delivered", exact=True).first.click()
    row.get_by_label("Circulated on").fill("2023-08-15")
    row.get_by_label("Document symbol").fill("S/2023/596")
    row.get_by_role("button", name="Mark delivered").click()

    expect(page.locator(".messages")).to_contain_text("Deadline updated.")
    expect(row).to_contain_text("Delivered on time")  # within the 3 days' tolerance
    history = page.locator("#history")
    expect(history.locator("li").first).to_contain_text(analyst.username)
    expect(history).to_contain_text("S/2023/596")
    screenshot("obligation-delivered")
    deadline.refresh_from_db()
    assert (str(deadline.circulated_on), deadline.document_symbol) == ("2023-08-15", "S/2023/596")


def test_viewer_sees_no_edit_controls_and_a_forged_post_is_refused(
    page, live_server, login, viewer, res2692_august_2023, screenshot
):
    obligation = _options_report()
    login(viewer)
    page.goto(f"{live_server.url}/obligations/{obligation.pk}/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("main form[method=post]").count() == 0
    assert page.get_by_text("Mark delivered").count() == 0
    screenshot("obligation-viewer")

    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    forged = page.request.post(
        f"{live_server.url}/obligations/{obligation.pk}/progress/",
        form={"version": "1", "status": "completed", "note": "forged", "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{live_server.url}/obligations/{obligation.pk}/"},
    )

    assert forged.status == 403
    obligation.refresh_from_db()
    assert (obligation.status, obligation.note) == ("not_started", "")


def test_conflict_keeps_the_second_persons_text(
    browser, live_server, analyst, res2692_august_2023, screenshot
):
    manager = UserFactory(username="mona-manager", role="manager")
    obligation = _options_report()
    url = f"{live_server.url}/obligations/{obligation.pk}/"
    pages = {}
    for user in (analyst, manager):
        page = browser.new_context().new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.goto(url)
        pages[user.username] = page
    first, second = pages[manager.username], pages[analyst.username]

    first.get_by_label("Progress note").fill("Manager: draft received from DPPA")
    first.get_by_role("button", name="Save progress").click()
    expect(first.locator(".messages")).to_contain_text("Progress saved.")
    second.get_by_label("Progress note").fill("Analyst: consultations with Haiti ongoing")
    second.get_by_role("button", name="Save progress").click()

    expect(second.locator(".conflict")).to_contain_text("Manager: draft received from DPPA")
    expect(second.get_by_label("Progress note")).to_have_value(
        "Analyst: consultations with Haiti ongoing"
    )
    screenshot("conflict", of=second)
    obligation.refresh_from_db()
    assert obligation.note == "Manager: draft received from DPPA"

    second.get_by_role("button", name="Save progress").click()
    expect(second.locator(".messages")).to_contain_text("Progress saved.")
    obligation.refresh_from_db()
    assert obligation.note == "Analyst: consultations with Haiti ongoing"
    for page in pages.values():
        page.context.close()


def test_switching_to_chinese_shows_the_chinese_interface(
    page, live_server, login, analyst, res2692, screenshot
):
    login(analyst)

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    expect(page.locator(".resolution-header")).to_contain_text("2023年7月14日")
    expect(page.get_by_role("heading", level=2).first).to_have_text("执行段落")
    screenshot("resolution-view-zh")
