import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from backandneck.proxies import ForwardedForMiddleware
from backandneck.ratelimits import rate_limit
from search.models import DailySearch
from search.views import SEARCHES_PER_MINUTE

pytestmark = pytest.mark.django_db


@rate_limit("test", limit=3, window=60)
def view(request):
    return HttpResponse("ok")


def get(ip="203.0.113.7"):
    return view(RequestFactory().get("/", REMOTE_ADDR=ip))


def test_a_client_over_the_limit_gets_a_clear_429_page():
    assert [get().status_code for _ in range(3)] == [200, 200, 200]
    refused = get()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please slow down a little" in refused.content.decode()


def test_limits_count_each_client_separately():
    for _ in range(4):
        get("203.0.113.7")
    assert get("198.51.100.20").status_code == 200


def test_requests_still_pass_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    assert [get().status_code for _ in range(5)] == [200] * 5


def client_address(settings, proxies, forwarded_for, remote_addr="10.0.0.2"):
    settings.NUM_PROXIES = proxies
    seen = []
    middleware = ForwardedForMiddleware(lambda request: seen.append(request.META["REMOTE_ADDR"]))
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    middleware(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra))
    return seen[0]


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(settings):
    assert client_address(settings, 1, "203.0.113.7") == "203.0.113.7"
    # Whatever the client wrote in the header itself is ignored.
    assert client_address(settings, 1, "1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert client_address(settings, 2, "1.2.3.4, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


def test_without_proxies_the_forwarded_header_is_not_trusted(settings):
    assert client_address(settings, 0, "203.0.113.7") == "10.0.0.2"
    assert client_address(settings, 2, "203.0.113.7") == "10.0.0.2"


def test_a_reader_searching_too_fast_is_asked_to_slow_down(client, make_post):
    make_post(title="Neck stretches")
    for _ in range(SEARCHES_PER_MINUTE):
        assert client.get("/search/", {"q": "neck"}).status_code == 200
    refused = client.get("/search/", {"q": "neck"})
    assert refused.status_code == 429
    assert "Please slow down a little" in refused.content.decode()
    # Another reader is not affected.
    assert client.get("/search/", {"q": "neck"}, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_every_search_is_counted_even_with_the_page_cache_on(client, make_post, settings):
    settings.PAGE_CACHE_SECONDS = 600
    make_post(title="Neck stretches")
    first = client.get("/search/", {"q": "neck"})
    second = client.get("/search/", {"q": "neck"})
    assert (first.page_cache, second.page_cache) == ("miss", "miss")
    assert "private" in second["Cache-Control"]
    assert DailySearch.objects.get().searches == 2
