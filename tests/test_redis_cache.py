"""The page cache and rate limits on a real Redis (REDIS_TEST_URL, by default DB 5 on this host)."""

import os
import time
import uuid
from unittest.mock import Mock

import pytest
import redis
from django.core.cache import caches

from pagecache import generations
from pagecache import redis_cache as breaking
from tests.conftest import redis_or_skip
from tests.test_health import closed_port

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_cache(settings):
    client = redis_or_skip(REDIS_TEST_URL)
    prefix = f"bn-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,  # With the fragments cache.
        "default": {
            "BACKEND": "pagecache.redis_cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        },
    }
    settings.PAGE_CACHE_SECONDS = 600
    yield caches["default"]
    # Only this test's keys: the database may be shared with other work.
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def test_the_redis_backend_stores_and_reads_values(redis_cache):
    assert type(redis_cache).__name__ == "RedisCache"
    redis_cache.set("greeting", {"hello": "world"}, 30)
    assert redis_cache.get("greeting") == {"hello": "world"}


def test_pages_are_cached_in_redis_and_invalidated_on_change(
    client, redis_cache, make_post, django_assert_num_queries, django_capture_on_commit_callbacks
):
    post = make_post(title="Stretch at your desk")
    client.get("/")
    with django_assert_num_queries(0):
        assert "Stretch at your desk" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Stretch twice a day"
        post.save()
    assert "Stretch twice a day" in client.get("/").content.decode()


def test_healthz_checks_redis(client, redis_cache):
    assert client.get("/healthz").json()["cache"] == "ok"


def test_a_change_made_by_another_process_shows_within_a_tenth_of_a_second(
    redis_cache, client, make_post
):
    make_post(title="Stretch at your desk")
    client.get("/")
    assert client.get("/").page_cache == "hit"
    # Another server process saved something: it replaced the shared generation token.
    redis_cache.set(generations.GENERATION_KEY, {"token": "from-elsewhere", "ends_at": None}, None)
    time.sleep(generations.LOOK_AGAIN_AFTER + 0.02)
    assert client.get("/").page_cache == "miss"


@pytest.fixture
def clock(monkeypatch):
    """The circuit breaker's clock, which a test moves on by hand."""
    now = [1000.0]
    monkeypatch.setattr(breaking, "clock", lambda: now[0])
    monkeypatch.setattr(breaking, "breakers", {})
    return now


@pytest.fixture
def connect_attempts(monkeypatch):
    """Every socket connection redis-py opens, counted."""
    attempts = []
    connect = redis.connection.Connection._connect

    def counted(self):
        attempts.append(self.port)
        return connect(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    return attempts


def redis_at(settings, url):
    settings.CACHES = {
        **settings.CACHES,  # With the fragments cache.
        "default": {
            "BACKEND": "pagecache.redis_cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    settings.PAGE_CACHE_SECONDS = 600


def test_while_redis_is_down_pages_are_rendered_with_one_connect_attempt_per_cool_down(
    client, settings, make_post, clock, connect_attempts
):
    make_post(title="Stretch at your desk")
    redis_at(settings, f"redis://127.0.0.1:{closed_port()}/0")
    for _ in range(20):
        response = client.get("/")
        assert response.status_code == 200
        assert "Stretch at your desk" in response.content.decode()
    assert len(connect_attempts) == 1
    clock[0] += breaking.COOL_DOWN
    for _ in range(20):
        assert client.get("/").status_code == 200
    assert len(connect_attempts) == 2


def test_the_cache_is_used_again_once_redis_is_back(client, settings, make_post, clock):
    redis_or_skip(REDIS_TEST_URL)
    make_post(title="Stretch at your desk")
    redis_at(settings, REDIS_TEST_URL)
    breaker = caches["default"]._cache.breaker
    down = redis.exceptions.ConnectionError("Connection refused")
    with pytest.raises(redis.exceptions.ConnectionError):
        breaker.call(Mock(side_effect=down))
    assert client.get("/").status_code == 200
    # Rendered, not stored: Redis is still skipped.
    assert getattr(client.get("/"), "page_cache", None) != "hit"
    clock[0] += breaking.COOL_DOWN
    client.get("/")
    assert client.get("/").page_cache == "hit"
    assert caches["default"].get(generations.GENERATION_KEY) is not None


def test_a_failed_retry_skips_redis_for_another_cool_down(clock):
    breaker = breaking.CircuitBreaker("Redis")
    down = Mock(side_effect=redis.exceptions.TimeoutError("Timeout reading from socket"))
    with pytest.raises(redis.exceptions.TimeoutError):
        breaker.call(down)
    for _ in range(3):
        with pytest.raises(breaking.CacheUnavailable):
            breaker.call(down)
    assert down.call_count == 1
    clock[0] += breaking.COOL_DOWN
    with pytest.raises(redis.exceptions.TimeoutError):
        breaker.call(down)
    clock[0] += breaking.COOL_DOWN - 1
    with pytest.raises(breaking.CacheUnavailable):
        breaker.call(down)
    assert down.call_count == 2
    clock[0] += 1
    assert breaker.call(Mock(return_value="PONG")) == "PONG"
    assert breaker.call(Mock(return_value="PONG")) == "PONG"


def test_error_mail_is_limited_across_processes_through_redis(redis_cache, settings, mailoutbox):
    from backandneck.logs import ThrottledAdminEmailHandler

    from .test_logs import failed_request

    settings.ADMINS = [("Ops", "ops@backandneck.example")]
    # Two workers' handlers: each has its own local count; what they share is the count in Redis.
    workers = [ThrottledAdminEmailHandler(), ThrottledAdminEmailHandler()]
    for n in range(20):
        workers[n % 2].emit(failed_request())
    assert len(mailoutbox) == 1


def test_an_answer_that_is_an_error_still_means_redis_is_back(clock):
    breaker = breaking.CircuitBreaker("Redis")
    with pytest.raises(redis.exceptions.ConnectionError):
        breaker.call(Mock(side_effect=redis.exceptions.ConnectionError("Connection refused")))
    clock[0] += breaking.COOL_DOWN
    with pytest.raises(ValueError):
        breaker.call(Mock(side_effect=ValueError("Key 'x' not found.")))
    assert breaker.call(Mock(return_value="PONG")) == "PONG"
