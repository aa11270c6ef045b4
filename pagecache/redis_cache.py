"""
Django's built-in Redis cache backend, with one redis.Redis client per connection pool, and a
circuit breaker.

The circuit breaker: once a call to Redis fails to connect or times out, every cache call in
this process fails at once, without touching the network, for COOL_DOWN seconds; then one call
tries Redis again. Callers already treat a failing cache as a missing one (the page cache
renders the page, rate limits let the reader through), so while Redis is down readers get
rendered pages, instead of each request waiting on a refused or timed-out connection several
times (the generation, the page, the site-wide values, the rate limit): measured in the fault
benchmark, that cut throughput tenfold.
"""

import logging
import threading
import time

from django.core.cache.backends import redis
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

COOL_DOWN = 3  # seconds: short enough to see Redis back soon, long enough to cost little
clock = time.monotonic


class CacheUnavailable(ConnectionError):
    """Raised instead of calling Redis while the circuit is open."""


class CircuitBreaker:
    def __init__(self, name):
        self.name = name
        self.retry_at = None  # None: closed, Redis is called.
        self.lock = threading.Lock()

    def call(self, operation, *args, **kwargs):
        if self.retry_at is not None:
            with self.lock:
                if clock() < self.retry_at:
                    raise CacheUnavailable(f"{self.name} skipped after a failure")
                # This call tries Redis; the others keep skipping it until it has answered.
                self.retry_at = clock() + COOL_DOWN
        try:
            result = operation(*args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            if self.retry_at is None:
                logger.warning(
                    "Cache %s unavailable (%r): skipping it for %s s", self.name, error, COOL_DOWN
                )
            self.retry_at = clock() + COOL_DOWN
            raise
        except Exception:  # Redis answered (incr() of a missing key, say).
            self.close()
            raise
        self.close()
        return result

    def close(self):
        if self.retry_at is not None:
            logger.warning("Cache %s available again", self.name)
            self.retry_at = None


# One breaker per Redis location, shared by every thread of the process (Django gives each
# thread a cache object of its own).
breakers = {}


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.breaker = breakers.setdefault(tuple(servers), CircuitBreaker("Redis"))

    # Django builds a new redis.Redis for every cache call, and since redis-py 5 its constructor
    # fills a table of some 170 response callbacks: measured here, that costs more than the round
    # trip to Redis itself, on every page cache hit. A redis.Redis is thread-safe and only
    # borrows connections from the pool, so one per pool serves every call.
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


def _guarded(name):
    operation = getattr(redis.RedisCacheClient, name)

    def guarded(self, *args, **kwargs):
        return self.breaker.call(operation, self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisCacheClient, _name, _guarded(_name))


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
