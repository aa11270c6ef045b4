"""Django's built-in Redis cache backend, with one redis.Redis client per connection pool."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
