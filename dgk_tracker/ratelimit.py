"""Fixed-window request counters on Django's cache: shared by every app process when the cache
is (Redis with REDIS_URL), per process otherwise. A cache that is down never blocks a request:
the limit fails open and the failure is logged.

A key found over a limit stays over it until that window ends, so each process remembers the
time and answers the key's next requests without asking the store (the bot-storm path)."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# (key, limits) -> the time.time() until which this process knows the key is over a limit.
_blocked: dict[tuple, float] = {}
_BLOCKED_MAX = 10_000


def forget() -> None:
    """Drop what this process remembers of blocked keys (tests; a change of limits)."""
    _blocked.clear()


def _remember_blocked(memo: tuple, until: float, now: float) -> None:
    if len(_blocked) >= _BLOCKED_MAX:
        for stale in [k for k, t in _blocked.items() if t <= now]:
            _blocked.pop(stale, None)
        if len(_blocked) >= _BLOCKED_MAX:
            _blocked.clear()
    _blocked[memo] = until


def _redis_counts(keys: list[tuple[str, int]]) -> list[int] | None:
    """With Redis behind the cache, every counter is bumped in one round trip (a pipeline of
    INCR and EXPIRE NX); None when the cache is something else."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = backend._cache.get_client(write=True)
    pipe = client.pipeline(transaction=False)
    for key, seconds in keys:
        full = backend.make_and_validate_key(key)
        pipe.incr(full)
        pipe.expire(full, seconds + 5, nx=True)
    return pipe.execute()[::2]


def hit(key: str, limits: list[tuple[int, int]], *, now: float | None = None) -> int:
    """Count one request under ``key`` against each (allowed, window seconds) limit.
    Returns 0 when the request is allowed, else the seconds until it would be."""
    now = time.time() if now is None else now
    memo = (key, tuple(limits))
    until = _blocked.get(memo)
    if until is not None:
        if now < until:
            return max(1, int(until - now))
        _blocked.pop(memo, None)
    wait = _count(key, limits, now)
    if wait:
        _remember_blocked(memo, now + wait, now)
    return wait


def _count(key: str, limits: list[tuple[int, int]], now: float) -> int:
    wait = 0
    try:
        windows = [(allowed, seconds, int(now // seconds)) for allowed, seconds in limits]
        counts = _redis_counts([(f"ratelimit:{key}:{seconds}:{window}", seconds) for _a, seconds, window in windows])
        if counts is not None:
            for (allowed, seconds, window), count in zip(windows, counts, strict=True):
                if count > allowed:
                    wait = max(wait, max(1, int((window + 1) * seconds - now)))
            return wait
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
