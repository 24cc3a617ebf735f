import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from mandate_tracker.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "k3Qz9-vT1xWm8_pLr4nB6yHc2JdEuFaGsK0oZiXeMqNwRtYb5UlPjAvDhCgSf7O"
PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "db": db["ENGINE"], "name": str(db["NAME"]), "broker": s.CELERY_BROKER_URL,
    "cache": s.CACHES["default"]["BACKEND"], "ssl": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS, "secure_cookie": s.SESSION_COOKIE_SECURE,
}))
"""


def _run(args, **env):
    """Run a fresh Python process with only the given project variables set."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "mandate_tracker.settings", **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["manage.py", "check"], DJANGO_DEBUG="0")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_switch_turns_redirect_cookies_and_hsts_off_together():
    result = _run(
        ["-c", PRINT_SETTINGS], DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_HTTPS="0"
    )
    on = _run(["-c", PRINT_SETTINGS], DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)

    off_values = json.loads(result.stdout)
    on_values = json.loads(on.stdout)
    assert (off_values["ssl"], off_values["hsts"], off_values["secure_cookie"]) == (False, 0, False)
    assert (on_values["ssl"], on_values["hsts"], on_values["secure_cookie"]) == (
        True,
        31_536_000,
        True,
    )


def test_bare_laptop_defaults_are_sqlite_under_var_and_a_file_broker():
    result = _run(["-c", PRINT_SETTINGS], DJANGO_DEBUG="1")

    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "var" / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_environment_urls_select_postgresql_and_redis():
    result = _run(
        ["-c", PRINT_SETTINGS],
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/elsewhere",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    values = json.loads(result.stdout)
    assert values["db"] == "django.db.backends.postgresql"
    assert values["name"] == "elsewhere"
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_suite_runs_on_postgresql_and_redis():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert celery_app.conf.broker_url == os.environ["REDIS_URL"]
    cache.set("settings-test", "round trip", 10)
    assert cache.get("settings-test") == "round trip"


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL"])
def test_services_check_names_what_is_unreachable(variable):
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    env[variable] = env[variable].replace("127.0.0.1:", "127.0.0.1:1")  # port 15432 / 16379

    result = _run(["-m", "tests.services_check"], **env)

    assert result.returncode == 1
    assert "start it with" in result.stdout
