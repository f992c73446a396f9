"""Fixed-window request counters on Django's public cache API: shared by every app process
when the default cache is Redis (REDIS_URL), per process otherwise. When the shared cache fails,
the same counters are kept in this process's memory until it answers again, so a Redis outage
weakens the limit (each process counts on its own) instead of lifting it.

A counter is ``cache.add`` (the window's first request) or ``cache.incr`` (the others): one or
two round trips per window, no private cache internals."""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# This process's own counters, used while the shared cache is unreachable.
_fallback = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
_warned = {"at": 0.0}


def forget() -> None:
    """Drop this process's fallback counters (tests)."""
    _fallback.clear()


def _count(store, key: str, seconds: int) -> int:
    if store.add(key, 1, timeout=seconds + 5):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        store.set(key, 1, timeout=seconds + 5)
        return 1


def _wait(store, key: str, limits: list[tuple[int, int]], now: float) -> int:
    wait = 0
    for allowed, seconds in limits:
        window = int(now // seconds)
        if _count(store, f"ratelimit:{key}:{seconds}:{window}", seconds) > allowed:
            wait = max(wait, max(1, int((window + 1) * seconds - now)))
    return wait


def hit(key: str, limits: list[tuple[int, int]], *, now: float | None = None) -> int:
    """Count one request under ``key`` against each (allowed, window seconds) limit.
    Returns 0 when the request is allowed, else the seconds until it would be."""
    now = time.time() if now is None else now
    try:
        return _wait(caches["default"], key, limits, now)
    except Exception:  # the shared store is down: count in this process instead
        if now - _warned["at"] > 60:  # once a minute, not once a request
            _warned["at"] = now
            logger.warning("rate limit store unavailable; counting per process", exc_info=True)
        return _wait(_fallback, key, limits, now)
