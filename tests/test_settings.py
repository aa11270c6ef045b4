import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "SITE_URL": "https://backandneck.example",
    "ALLOWED_HOSTS": "backandneck.example",
}


def manage(*args, **env):
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "backandneck.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_mail_goes_to_the_console_until_an_smtp_host_is_set():
    show = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    console = manage("shell", "-c", show, DEBUG="1")
    smtp = manage("shell", "-c", show, DEBUG="1", EMAIL_HOST="smtp.example.com")
    assert console.stdout.strip().endswith("console.EmailBackend")
    assert smtp.stdout.strip().endswith("smtp.EmailBackend")
