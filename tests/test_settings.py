import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = str(ROOT / "deploy" / "gunicorn.conf.py")
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "SITE_URL": "https://backandneck.example",
    "ALLOWED_HOSTS": "backandneck.example",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
}


def clean_environment():
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "SENTRY_DSN"}
        and not k.startswith(("AWS_", "DATABASE_", "EMAIL_", "PAGE_CACHE_", "STATIC_"))
    }


def settings_from(**env):
    """The settings a process started with this environment would load.

    The settings module only reads the environment, so it is run here rather than in a new
    process (a Django start-up each costs a second of CPU); what needs a whole start-up (the
    deployment checks, storages, URLs, Sentry) goes through `manage`.
    """
    with mock.patch.dict(os.environ, {**clean_environment(), **env}, clear=True):
        return runpy.run_path(str(ROOT / "backandneck" / "settings.py"))


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        settings_from()


def test_mail_goes_to_the_console_until_an_smtp_host_is_set():
    console = settings_from(DEBUG="1")["EMAIL_BACKEND"]
    smtp = settings_from(DEBUG="1", EMAIL_HOST="smtp.example.com")["EMAIL_BACKEND"]
    assert console.endswith("console.EmailBackend")
    assert smtp.endswith("smtp.EmailBackend")


def show(expression, **env):
    """A value (as `print` would show it) from the settings a production process would load."""
    loaded = {**vars(global_settings), **settings_from(**{**PRODUCTION_ENV, **env})}
    settings = type("Settings", (), loaded)
    return " ".join(str(value) for value in _as_tuple(eval(expression, {"settings": settings})))


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def test_cache_is_local_memory_by_default_and_redis_with_redis_url():
    backend = "settings.CACHES['default']['BACKEND']"
    assert show(backend, REDIS_URL="").endswith("LocMemCache")
    assert show(backend).endswith("RedisCache")


def test_https_site_gets_hsts_and_secure_http_only_cookies():
    values = show(
        "settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, "
        "settings.CSRF_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT"
    )
    assert values == "31536000 True True True True True"
    local = show(
        "settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE",
        SITE_URL="http://127.0.0.1:8000",
        ALLOWED_HOSTS="127.0.0.1",
    )
    assert local == "0 False"


def test_staff_sessions_end_after_a_working_day_or_with_the_browser():
    assert (
        show("settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE")
        == "28800 True"
    )


def test_media_go_to_s3_when_a_bucket_is_named(settings):
    env = {
        **PRODUCTION_ENV,
        "AWS_STORAGE_BUCKET_NAME": "bn-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.backandneck.example",
    }
    loaded = settings_from(**env)
    for name, value in loaded.items():
        if name.startswith("AWS_"):  # What django-storages reads from the settings.
            setattr(settings, name, value)
    media = storages.create_storage(loaded["STORAGES"]["default"])
    assert (type(media).__name__, media.url("posts/a.jpg")) == (
        "S3Storage",
        "https://media.backandneck.example/posts/a.jpg",
    )
    local = storages.create_storage(settings_from(**PRODUCTION_ENV)["STORAGES"]["default"])
    assert type(local).__name__ == "FileSystemStorage"


def test_errors_go_by_mail_while_no_sentry_dsn_is_set():
    handlers = "settings.LOGGING['loggers']['django']['handlers']"
    assert show(handlers, ADMINS="ops@backandneck.example") == "['console', 'mail_admins']"


# The README's scale-out switches, each from the environment to the setting it turns.


def test_several_sites_share_one_redis_under_their_own_prefix():
    assert show("settings.CACHES['default']['KEY_PREFIX']", CACHE_KEY_PREFIX="site2") == "site2"


def test_static_files_may_come_from_a_cdn():
    values = show(
        "settings.STATIC_URL, settings.STATIC_ORIGIN",
        STATIC_URL="https://cdn.backandneck.example/static/",
    )
    assert values == "https://cdn.backandneck.example/static/ https://cdn.backandneck.example"
    assert show("settings.STATIC_URL, repr(settings.STATIC_ORIGIN)") == "/static/ ''"


def test_the_task_queue_is_the_database_unless_told_otherwise():
    backend = "settings.TASKS['default']['BACKEND']"
    assert show(backend) == "django_tasks_db.DatabaseBackend"
    immediate = "django_tasks.backends.immediate.ImmediateBackend"
    assert show(backend, TASKS_BACKEND=immediate) == immediate


def test_proxies_and_the_generation_file_come_from_the_environment(tmp_path):
    assert show("settings.NUM_PROXIES", NUM_PROXIES="2") == "2"
    generation = tmp_path / "shared" / "generation"
    assert show(
        "settings.PAGE_CACHE_GENERATION_FILE", PAGE_CACHE_GENERATION_FILE=str(generation)
    ) == str(generation)
    beside_database = show(
        "settings.PAGE_CACHE_GENERATION_FILE", DATABASE_URL=f"sqlite:///{tmp_path / 'site.db'}"
    )
    assert beside_database == str(tmp_path / "page-cache-generation")


def test_database_connect_and_statement_timeouts_come_from_the_environment():
    options = "settings.DATABASES['default']['OPTIONS']"
    postgres = {"DATABASE_URL": "postgres://bn@db.internal:5432/bn"}
    assert show(options, **postgres) == (
        "{'connect_timeout': 5, 'options': '-c statement_timeout=10000'}"
    )
    assert show(
        options,
        **postgres,
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT="2.5",
    ) == ("{'connect_timeout': 2, 'options': '-c statement_timeout=2500'}")
    assert show(options, **postgres, DATABASE_STATEMENT_TIMEOUT="0") == "{'connect_timeout': 5}"
    sqlite = {"DATABASE_URL": "sqlite:////tmp/bn-settings-test.sqlite3"}
    assert show(options, **sqlite, DATABASE_STATEMENT_TIMEOUT="3") == "{'timeout': 3.0}"


def test_gunicorn_workers_are_not_recycled_while_serving_cached_pages(monkeypatch):
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    config = runpy.run_path(GUNICORN_CONF)
    assert config["max_requests"] == 0  # gunicorn: never.
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "5000000")
    config = runpy.run_path(GUNICORN_CONF)
    assert (config["max_requests"], config["max_requests_jitter"]) == (5_000_000, 500_000)
