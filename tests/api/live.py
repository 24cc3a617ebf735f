"""Marks for modules of tests against the live server (real HTTP, committed data)."""

import pytest

LIVE = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]
