"""Fixed-window request counters on Django's cache: shared by every app process when the cache
is (Redis with REDIS_URL), per process otherwise. A cache that is down never blocks a request:
the limit fails open and the failure is logged."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def hit(key: str, limits: list[tuple[int, int]], *, now: float | None = None) -> int:
    """Count one request under ``key`` against each (allowed, window seconds) limit.
    Returns 0 when the request is allowed, else the seconds until it would be."""
    now = time.time() if now is None else now
    wait = 0
    try:
        for allowed, seconds in limits:
            window = int(now // seconds)
            cache_key = f"ratelimit:{key}:{seconds}:{window}"
            cache.add(cache_key, 0, timeout=seconds + 5)
            try:
                count = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.set(cache_key, 1, timeout=seconds + 5)
                count = 1
            if count > allowed:
                wait = max(wait, max(1, int((window + 1) * seconds - now)))
    except Exception:  # the cache is down or misconfigured: serve, but say so
        logger.warning("rate limit store unavailable; request allowed", exc_info=True)
        return 0
    return wait
