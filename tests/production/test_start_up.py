"""Production settings in a process of their own, started as `manage.py` starts one.

What the settings module alone decides is checked in-process (tests/test_settings.py); these need
a whole start-up: the deployment checks, the URLs, Sentry's client, a real connection attempt.
"""

import json
import subprocess
import sys

from tests.test_settings import PRODUCTION_ENV, ROOT, clean_environment

from .conftest import free_port


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_SETTINGS_MODULE": "backandneck.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_per_process_page_cache_fails_the_deployment_checklist():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "pagecache.W001" in result.stderr + result.stdout
    single_process = manage(
        "check", "--deploy", "--fail-level", "WARNING", PAGE_CACHE_SECONDS="0", **env
    )
    assert single_process.returncode == 0, single_process.stderr


def test_admin_address_comes_from_the_environment():
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-c", script, **PRODUCTION_ENV, ADMIN_URL="backstage-7f3")
    assert result.stdout.strip().splitlines()[-1] == "/backstage-7f3/"


def test_errors_go_to_sentry_when_a_dsn_is_set():
    handlers = "settings.LOGGING['loggers']['django']['handlers']"
    # With a DSN the settings start Sentry's client, so this one runs in its own process.
    script = (
        "import sentry_sdk; from django.conf import settings; "
        f"print({handlers}, sentry_sdk.get_client().is_active())"
    )
    dsn = "https://public@sentry.invalid/1"
    result = manage(
        "shell", "-c", script, **PRODUCTION_ENV, ADMINS="ops@backandneck.example", SENTRY_DSN=dsn
    )
    assert result.stdout.strip().splitlines()[-1:] == ["['console'] True"], result.stderr


def test_an_unreachable_postgresql_server_gets_the_503_page_not_an_error():
    """A real connection attempt to a port where no database listens, in a fresh process."""
    script = (
        "from django.test import Client; c = Client(raise_request_exception=False); "
        "home = c.get('/', HTTP_HOST='backandneck.example'); "
        "health = c.get('/healthz', HTTP_HOST='backandneck.example'); "
        "import json; print(json.dumps([home.status_code, 'back in a moment' in "
        "home.content.decode().lower(), health.status_code, health.json()]))"
    )
    result = manage(
        "shell",
        "-c",
        script,
        SECRET_KEY="x" * 50,
        SITE_URL="http://backandneck.example",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/bn_nowhere",
        LOG_LEVEL="CRITICAL",
    )
    home_status, friendly, health_status, health = json.loads(result.stdout.splitlines()[-1])
    assert (home_status, friendly, health_status) == (503, True, 503)
    assert health == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
