"""A fixed-window request counter per API client on Django's cache (shared when the cache is)."""

from __future__ import annotations

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def hit(key: str, limit: int, *, now: float | None = None) -> int:
    """Count one request; return 0 when allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    cache_key = f"ratelimit:{key}:{window}"
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * WINDOW_SECONDS - now))
