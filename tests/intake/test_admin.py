"""Drafts in the admin: readable by administrators, never changed there."""

from pathlib import Path

import pytest

from intake.services import draft_create
from tests.factories import UserFactory

EN = (Path(__file__).parent / "texts" / "mini.en.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_admin_reads_drafts_but_cannot_add_change_or_delete(client, analyst):
    draft = draft_create(by=analyst, text=EN)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    listing = client.get("/admin/intake/draft/")
    detail = client.get(f"/admin/intake/draft/{draft.pk}/change/")
    posted = client.post(f"/admin/intake/draft/{draft.pk}/change/", {"status": "accepted"})
    added = client.get("/admin/intake/draft/add/")
    deleted = client.post(f"/admin/intake/draft/{draft.pk}/delete/", {"post": "yes"})

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "S/RES/9950 (2031)" in listing.content.decode()
    assert (posted.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    draft.refresh_from_db()
    assert draft.status == "open"
