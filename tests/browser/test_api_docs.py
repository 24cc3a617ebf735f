"""Swagger UI works under the Content-Security-Policy (`script-src 'self'`; inline styles
allowed on that page only, for its drawing code)."""

from playwright.sync_api import expect


def test_swagger_ui_renders_the_api_under_the_content_security_policy(
    page, live_server, login, viewer, screenshot
):
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    login(viewer)

    response = page.goto(f"{live_server.url}/api/v1/docs/")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "style-src 'self' 'unsafe-inline'" in policy
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Mandate Tracker")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    assert not [text for text in violations if "Content Security Policy" in text]
    screenshot("api-docs")
