"""Site-wide headers (paragraphs.middleware): a Content-Security-Policy on every answer,
and nothing that belongs to a signed-in user may be stored by a browser or a proxy."""

import pytest

from paragraphs.middleware import CONTENT_SECURITY_POLICY
from paragraphs.services import api_token_create
from reports.dashboard.feeds import feed_token
from reports.services import calendar_feed_regenerate
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


def test_every_page_has_the_policy_and_is_not_stored(client, analyst, res2692):
    obligation = res2692.paragraphs.get(number=18).obligations.get()
    anonymous = client.get("/accounts/login/")
    client.force_login(analyst)
    pages = [
        anonymous,
        client.get("/", follow=True),
        client.get(f"/obligations/{obligation.pk}/"),
        client.get("/dashboard/"),
        client.get("/dashboard/calendar/"),
        client.get("/dashboard/export/obligations.csv"),
        client.get("/dashboard/export/deadlines.xlsx"),
        client.get("/inbox/"),
        client.get("/api/v1/obligations/"),
        client.get(f"/api/v1/obligations/{obligation.pk}/"),
        client.get("/api/v1/nowhere/"),
    ]

    assert [page.status_code for page in pages] == [200] * 10 + [404]
    for page in pages:
        assert page["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in page["Content-Security-Policy"]
        assert _no_store(page), page.request["PATH_INFO"]


def test_the_calendar_feed_is_not_stored_either(client, viewer, res2692):
    token = feed_token(calendar_feed_regenerate(user=viewer))

    response = client.get(f"/feeds/{token}.ics")

    assert response.status_code == 200
    assert _no_store(response)


def test_pages_carry_no_inline_script_or_style(client, analyst, res2692):
    """What the policy forbids, the pages do not do (htmx is told not to inject styles)."""
    client.force_login(analyst)
    obligation = res2692.paragraphs.get(number=18).obligations.get()
    for path in ("/", f"/obligations/{obligation.pk}/", "/dashboard/", "/alerts/subscriptions/"):
        page = client.get(path, follow=True).content.decode()
        assert "<style" not in page, path
        assert "<script>" not in page and " onclick=" not in page, path
        assert '"includeIndicatorStyles":false' in page


def test_a_note_saved_through_the_api_can_be_saved_again_in_the_browser(client, analyst):
    """One limit for progress notes everywhere (10,000 characters): a note of 8,000 saved
    by the API once could not be saved again in the browser (which allowed 5,000)."""
    obligation = ObligationFactory()
    _token, token = api_token_create(user=analyst, name="Sync", read_only=False, by=analyst)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/obligations/{obligation.pk}/"
    etag = client.get(url, headers=headers)["ETag"]
    note = "n" * 8000

    saved = client.patch(
        url, {"note": note}, content_type="application/json", headers={**headers, "If-Match": etag}
    )
    client.force_login(analyst)
    again = client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 2, "status": "in_progress", "note": note + " and more", "reason": ""},
    )
    too_long = client.post(
        f"/obligations/{obligation.pk}/progress/",
        {"version": 3, "status": "in_progress", "note": "x" * 10_001},
    )

    assert saved.status_code == 200
    assert again.status_code == 302, again.content.decode()[:500]
    assert too_long.status_code == 400
    obligation.refresh_from_db()
    assert obligation.note == note + " and more"
