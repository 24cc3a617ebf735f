"""Marks for modules of tests against the live server (real HTTP, committed data)."""

import pytest

LIVE = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("restore_migrated_data"),
]
