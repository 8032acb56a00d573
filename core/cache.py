"""A Redis cache that degrades instead of failing when Redis is down.

The cache only ever holds what can be rebuilt (rendered fragments, rate-limit counters, allauth's
counters), so a Redis outage must not turn sign-in, feedback, lookups or surveys into errors: every
read answers as a miss (the default), every write is dropped (add() says it stored the key, see below),
and a warning is logged. The socket timeouts in settings.CACHES keep each failed call short, and after
a failure the process leaves Redis alone for RETRY_AFTER seconds, so a stalled Redis costs one timeout,
not one per call of every request.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What Redis being unreachable or too slow looks like; other errors (a bad key, a bug) still raise.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


RETRY_AFTER = 5.0


class Breaker:
    """Remembers, per process, that a service failed, and for how long to leave it alone."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self._open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self) -> None:
        self._open_until = time.monotonic() + self.retry_after

    def reset(self) -> None:
        self._open_until = 0.0


breaker = Breaker(RETRY_AFTER)


def _degrade(default):
    """Run the cache call; on an unreachable Redis log it and answer ``default(args, kwargs)``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if breaker.is_open():
                return default(args, kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                breaker.trip()
                logger.warning(
                    "Cache unavailable, %s answered without it (next try in %s s): %s",
                    method.__name__,
                    RETRY_AFTER,
                    error,
                )
                return default(args, kwargs)

        return wrapper

    return decorator


def _get_default(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


def _incr_default(args, kwargs):
    # Counters start again from the step: a rate limit counts this request only (in the citizen's favour).
    return args[1] if len(args) > 1 else kwargs.get("delta", 1)


class _ReusedClient(RedisCacheClient):
    """Django's client makes a new redis.Redis for every call, and each builds a table of some 170
    response callbacks: a third of a cached page's time. A Redis object is thread-safe over its
    connection pool, so one per pool serves every call."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose calls answer as an empty cache while Redis is unreachable."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusedClient

    get = _degrade(_get_default)(RedisCache.get)
    get_many = _degrade(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _degrade(lambda args, kwargs: False)(RedisCache.has_key)
    # add answers True, as if the key were new: its callers use it as a lock or a once-only guard
    # (allauth's rate limits, the officers' double-submit guard), and refusing would lock everyone out.
    add = _degrade(lambda args, kwargs: True)(RedisCache.add)
    set = _degrade(lambda args, kwargs: None)(RedisCache.set)
    set_many = _degrade(lambda args, kwargs: [])(RedisCache.set_many)
    touch = _degrade(lambda args, kwargs: False)(RedisCache.touch)
    delete = _degrade(lambda args, kwargs: False)(RedisCache.delete)
    delete_many = _degrade(lambda args, kwargs: None)(RedisCache.delete_many)
    incr = _degrade(_incr_default)(RedisCache.incr)
    clear = _degrade(lambda args, kwargs: False)(RedisCache.clear)
