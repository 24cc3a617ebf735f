"""Importing a resolution in a real Chromium, with JavaScript off: paste, preview, decide,
accept, and the resolution page shows what was accepted."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from intake.models import Draft, DraftStatus
from paragraphs.models import Obligation, Resolution

pytestmark = pytest.mark.django_db(transaction=True)

EN = (Path(__file__).parents[1] / "intake" / "texts" / "mini.en.txt").read_text(encoding="utf-8")


def test_analyst_pastes_previews_and_accepts_a_resolution(
    browser, live_server, analyst, screenshot
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(analyst.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Or paste the text").fill(EN)
    page.get_by_role("button", name="Read the text").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("S/RES/9950 (2031)")
    expect(page.locator("dl.facts")).to_contain_text("UNTAMV until 2032-04-30")
    expect(page.locator(".proposal")).to_have_count(4)
    assert not Resolution.objects.filter(number=9950).exists()
    screenshot("intake-preview", of=page)

    calls_upon = page.locator("#op3 .proposal").first
    calls_upon.get_by_role("button", name="Reject").click()
    expect(page.locator(".messages")).to_contain_text("Proposal saved.")
    expect(page.locator("#op3 .proposal .badge").first).to_have_text("Rejected")
    page.get_by_label("Also accept the proposals still to review").check()
    page.get_by_role("button", name="Accept the draft").click()

    expect(page.locator(".messages")).to_contain_text("Draft accepted. S/RES/9950 (2031)")
    expect(page.locator("#op2")).to_contain_text("Requests the Secretary-General")
    expect(page.locator("#op2 .obligation")).to_have_count(1)
    expect(page.locator("#op3 .obligation")).to_have_count(0)
    screenshot("intake-accepted", of=page)
    assert Draft.objects.get().status == DraftStatus.ACCEPTED
    assert Obligation.objects.filter(paragraph__resolution__number=9950).count() == 3
    context.close()
