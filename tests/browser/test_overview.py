import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_analyst_sees_resolution_2692_in_chromium(
    page, live_server, login, analyst, res2692, screenshot
):
    login(analyst)

    assert page.url == f"{live_server.url}/resolutions/{res2692.pk}/"
    assert page.get_by_role("heading", level=1).inner_text() == "S/RES/2692 (2023)"
    verb = page.locator("#op18 .lead-verb")
    assert verb.inner_text() == "请"
    assert verb.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    screenshot("resolution-overview")
