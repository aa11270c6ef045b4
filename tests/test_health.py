import logging
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection
from django.test import Client

from backandneck import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _healthy_before_each_test():
    """A check that finds everything up, as a monitor's last check before the test would: an
    outage in the test is then logged as it starts (health.py logs changes, not every check)."""
    assert Client().get("/healthz").status_code == 200


@pytest.fixture
def reader():
    """A client that gets the error pages readers get, instead of the exception."""
    return Client(raise_request_exception=False)


class Database:
    """Stops and starts "the server": while stopped, every query fails as psycopg's do."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def stop(self):
        def refuse():
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")

        self.monkeypatch.setattr(connection, "ensure_connection", refuse)

    def start(self):
        self.monkeypatch.undo()


@pytest.fixture
def database(monkeypatch):
    return Database(monkeypatch)


@pytest.fixture
def database_down(database):
    database.stop()


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        **settings.CACHES,  # With the fragments cache.
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_is_ok_when_the_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(reader, database_down):
    response = reader.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


def test_healthz_says_degraded_but_serving_when_only_the_cache_is_down(reader, cache_down):
    # Pages are rendered without the cache: a load balancer must keep sending readers here.
    response = reader.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_healthz_reveals_no_addresses_or_error_text(reader, database_down):
    body = reader.get("/healthz").content.decode()
    assert "127.0.0.1" not in body
    assert "5432" not in body
    assert "refused" not in body


def test_readers_get_a_friendly_503_while_the_database_is_down(reader, make_post, database_down):
    response = reader.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We’ll be back in a moment" in response.content.decode()


def test_the_site_recovers_by_itself_when_the_database_is_back(reader, make_post, database):
    post = make_post(title="Still here")
    database.stop()
    assert reader.get(post.get_absolute_url()).status_code == 503
    database.start()
    response = reader.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_other_errors_still_get_the_500_page(reader, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("blog.views.render", broken)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


class SlowCache:
    """The real cache, with a pause after each write, as a busy Redis across a network has."""

    def __init__(self, cache):
        self.cache = cache

    def set(self, *args, **kwargs):
        self.cache.set(*args, **kwargs)
        time.sleep(0.002)

    def __getattr__(self, name):
        return getattr(self.cache, name)


def test_concurrent_health_checks_never_report_a_healthy_cache_as_down(monkeypatch):
    monkeypatch.setattr(health, "cache", SlowCache(health.cache))
    with ThreadPoolExecutor(max_workers=4) as checkers:
        results = list(checkers.map(lambda _: health.cache_status(), range(200)))
    assert results.count("unavailable") == 0


def test_a_failing_health_check_is_logged_once_and_never_mailed(reader, database, caplog):
    database.stop()
    with caplog.at_level(logging.INFO):
        statuses = [reader.get("/healthz").status_code for _ in range(5)]
        database.start()
        assert reader.get("/healthz").status_code == 200
    assert statuses == [503] * 5
    messages = [r.getMessage() for r in caplog.records if r.name == "backandneck.health"]
    assert messages == [
        "Health check: database unavailable (OperationalError)",
        "Health check: database available again",
    ]
    # Django's request log is what mails ADMINS: it must not see the 503s as server errors.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_the_database_connection_has_a_statement_timeout():
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's statement_timeout")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "10s"
