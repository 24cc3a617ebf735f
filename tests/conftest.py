import datetime as dt
import importlib
import io

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import translation

from intake.services import resolution_text_load
from paragraphs.history import system_user
from paragraphs.models import Resolution
from reports.loading import load_curated, read_curated, resolution_text_path
from reports.management.commands.load_2692 import DATA_FILE
from tests.factories import UserFactory

# A day inside the mandate period, after the options report was due and delivered.
MANDATE_DAY = dt.datetime(2023, 9, 1, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many users (and log them in): a production-strength hash each, over half
    a second on a slow machine, would dominate the suite. What is tested is who may do
    what, not the hash; production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language: a page requested in another language can
    leave that language active in the test's thread, and text made afterwards (a webhook's
    recorded error, say) would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def frozen_clock():
    """Freeze time; tests move it with `frozen_clock.move_to(...)`."""
    with time_machine.travel(MANDATE_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def viewer(db):
    return UserFactory(username="vera-viewer", role="viewer")


@pytest.fixture
def analyst(db):
    return UserFactory(username="ana-analyst", role="analyst")


@pytest.fixture
def manager(db):
    return UserFactory(username="max-manager", role="manager")


@pytest.fixture
def outsider(db):
    """Signed in, but in no role group."""
    return UserFactory(username="olga-outsider")


@pytest.fixture
def res2692(db):
    """S/RES/2692 (2023) loaded as `make run` loads it."""
    call_command("load_2692", stdout=io.StringIO())
    return Resolution.objects.get(number=2692)


@pytest.fixture
def res2692_august_2023(db):
    """S/RES/2692 (2023) as it stood in August 2023: loaded, with no delivery recorded yet."""
    data = read_curated(settings.BASE_DIR / DATA_FILE)
    path = resolution_text_path(data)
    resolution_text_load(data=path.read_bytes(), filename=path.name, by=system_user())
    load_curated({**data, "record": []})
    return Resolution.objects.get(number=2692)


def _role_grants() -> dict[str, list[str]]:
    """The role groups' permissions, from the data migrations' own lists."""
    grants = {
        name: list(perms)
        for name, perms in importlib.import_module(
            "reports.migrations.0002_role_groups"
        ).ROLES.items()
    }
    webhooks = importlib.import_module("reports.migrations.0005_alerts_cursors_and_webhook_role")
    grants["manager"] += [f"reports.{codename}" for codename in webhooks.MANAGER_PERMISSIONS]
    tokens = importlib.import_module("paragraphs.migrations.0004_api_tokens")
    grants["manager"] += [f"paragraphs.{codename}" for codename in tokens.TOKEN_PERMISSIONS]
    return grants


@pytest.fixture
def role_groups(transactional_db):
    """Tests that commit (live server, threads, a Celery worker) end with a flush, which
    brings back permissions but not the role groups that data migrations made: make them
    again. (`serialized_rollback` does not survive Playwright's event loop.)"""
    for name, perms in _role_grants().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in (perm.split(".") for perm in perms)
        )
