import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_first_run_creates_an_admin_with_a_generated_password():
    output = _run()

    password = output.split("with password: ")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    assert admin.groups.filter(name="manager").exists()
    assert len(password) >= 16


def test_passwords_differ_between_installations():
    first = _run().split("with password: ")[1].split()[0]
    get_user_model().objects.all().delete()

    second = _run().split("with password: ")[1].split()[0]

    assert first != second


def test_second_run_creates_nothing_and_reveals_no_password():
    _run()

    output = _run()

    assert "with password" not in output
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
