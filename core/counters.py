"""Counters in the cache that live for a window of time: rate limits and burst detection.

On Redis a count is one round trip (SET NX with the expiry, then INCR, pipelined); elsewhere it falls
back to the cache API. Keys hold keyed hashes, never an address or a device id.

While Redis is down the counters fail open (each request counts as the first of its window, and a
warning is logged): an outage must not refuse citizens, and the database is not burdened with counters.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from core.cache import UNAVAILABLE as CACHE_UNAVAILABLE
from core.cache import breaker as cache_breaker

logger = logging.getLogger(__name__)

_clients: dict[int, object] = {}


def _redis_client(backend: RedisCache):
    """One client per cache backend and process: Django builds a new client (and its table of ~170
    reply callbacks) on every call, which costs more than the round trip itself."""
    client = _clients.get(id(backend))
    if client is None:
        client = _clients[id(backend)] = backend._cache.get_client(write=True)
    return client


def window_count(key: str, seconds: int) -> int:
    """Add one to the counter ``key``, which starts at the first count and lasts ``seconds``."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        # Fail open: with Redis down every request is the first of its window, so a citizen is never
        # refused for an outage; the log line says the limits are off meanwhile.
        if cache_breaker.is_open():
            return 1
        pipeline = _redis_client(backend).pipeline(transaction=False)
        pipeline.set(full_key, 0, ex=seconds, nx=True)
        pipeline.incr(full_key)
        try:
            return pipeline.execute()[1]
        except CACHE_UNAVAILABLE as error:
            cache_breaker.trip()
            logger.warning("Cache unavailable, counter %s not counted (rate limits are off): %s", key, error)
            return 1
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def keyed_hash(purpose: str, value: str, length: int = 32) -> str:
    """A hash that cannot be reversed by trying every value (the four billion IPv4 addresses, say)
    without the secret key."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:length]


def address_key(scope: str, client_ip: str) -> str:
    return f"rate:{scope}:{keyed_hash('address', client_ip.strip())}"


def rate_limit_exceeded(*, scope: str, client_ip: str | None, limit: int, seconds: int) -> bool:
    """Count one more request from ``client_ip`` in a fixed window; True once past ``limit``."""
    if not client_ip:
        return False
    return window_count(address_key(scope, client_ip), seconds) > limit
