"""The page cache and rate limits on a real Redis (REDIS_TEST_URL, by default DB 5 on this host)."""

import os
import time
import uuid

import pytest
from django.core.cache import caches

from backandneck import caching
from tests.conftest import redis_or_skip

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_cache(settings):
    client = redis_or_skip(REDIS_TEST_URL)
    prefix = f"bn-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
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
    redis_cache.set(caching.GENERATION_KEY, {"token": "from-elsewhere", "ends_at": None}, None)
    time.sleep(caching.LOOK_AGAIN_AFTER + 0.02)
    assert client.get("/").page_cache == "miss"
