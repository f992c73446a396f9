"""Django's Redis cache, reusing one redis-py client per connection pool.

Django builds a new ``redis.Redis`` object for every cache call, and redis-py fills a table of
hundreds of response callbacks each time: a tenth of a public lookup's CPU here (measured
with cProfile). The client is thread-safe over its pool, so one per pool is enough."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
