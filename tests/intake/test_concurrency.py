"""Two drafts of one new resolution accepted at the same moment: one creates it, the other
finds the same text held and applies nothing (never a duplicate, never a 500)."""

import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from intake.models import DraftStatus
from intake.services import draft_accept, draft_create
from paragraphs.models import Obligation, Paragraph

EN = (Path(__file__).parent / "texts" / "mini.en.txt").read_text(encoding="utf-8")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("role_groups")
def test_concurrent_acceptances_of_one_resolution_apply_once(analyst, manager):
    drafts = [draft_create(by=analyst, text=EN), draft_create(by=manager, text=EN)]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(draft, user):
        try:
            barrier.wait()
            draft_accept(draft=draft, by=user, accept_pending=True)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(draft, user))
        for draft, user in zip(drafts, (analyst, manager), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "identical"]
    assert Paragraph.objects.filter(resolution__number=9950).count() == 6
    assert Obligation.objects.count() == 4
    for draft in drafts:
        draft.refresh_from_db()
    assert sorted(d.status for d in drafts) == [DraftStatus.ACCEPTED, DraftStatus.OPEN]
