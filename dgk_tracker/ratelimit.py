"""Fixed-window request counters on Django's cache: shared by every app process when the cache
is (Redis with REDIS_URL), per process otherwise. A cache that is down never blocks a request:
the limit fails open and the failure is logged.

A key found over a limit stays over it until that window ends, so each process remembers the
time and answers the key's next requests without asking the store (the bot-storm path). The
requests it answered that way still count: they are added to the key's longer windows that
are still running (the day's, when the minute's limit was hit) on its next visit to the store,
so a bot blocked for the minute reaches its daily limit as soon as it would have anyway."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


@dataclass
class _Blocked:
    until: float  # time.time() until which the key is over a limit
    windows: dict[int, int] = field(default_factory=dict)  # window seconds -> window number then
    unseen: int = 0  # requests answered from this memory, not yet counted in the store


# (key, limits) -> what this process knows of a key that is over a limit.
_blocked: dict[tuple, _Blocked] = {}
_BLOCKED_MAX = 10_000


def forget() -> None:
    """Drop what this process remembers of blocked keys (tests; a change of limits)."""
    _blocked.clear()


def _remember_blocked(memo: tuple, blocked: _Blocked, now: float) -> None:
    if len(_blocked) >= _BLOCKED_MAX:
        for stale in [k for k, b in list(_blocked.items()) if b.until <= now]:
            _blocked.pop(stale, None)
        if len(_blocked) >= _BLOCKED_MAX:
            _blocked.clear()
    _blocked[memo] = blocked


def _redis_counts(keys: list[tuple[str, int, int]]) -> list[int] | None:
    """With Redis behind the cache, every counter is bumped in one round trip (a pipeline of
    INCR and EXPIRE NX); None when the cache is something else."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = backend._cache.get_client(write=True)
    pipe = client.pipeline(transaction=False)
    for key, seconds, amount in keys:
        full = backend.make_and_validate_key(key)
        pipe.incr(full, amount)
        pipe.expire(full, seconds + 5, nx=True)
    return pipe.execute()[::2]


def hit(key: str, limits: list[tuple[int, int]], *, now: float | None = None) -> int:
    """Count one request under ``key`` against each (allowed, window seconds) limit.
    Returns 0 when the request is allowed, else the seconds until it would be."""
    now = time.time() if now is None else now
    memo = (key, tuple(limits))
    carried: dict[int, int] = {}
    blocked = _blocked.get(memo)
    if blocked is not None:
        if now < blocked.until:
            blocked.unseen += 1
            return max(1, int(blocked.until - now))
        if _blocked.pop(memo, None) is blocked:  # only the thread that removes it carries its count
            carried = {s: blocked.unseen for s, number in blocked.windows.items() if int(now // s) == number}
    wait = _count(key, limits, now, carried)
    if wait:
        windows = {seconds: int(now // seconds) for _allowed, seconds in limits}
        _remember_blocked(memo, _Blocked(until=now + wait, windows=windows), now)
    return wait


def _count(key: str, limits: list[tuple[int, int]], now: float, carried: dict[int, int]) -> int:
    """Count this request (and ``carried`` ones per window length) in the store; the wait."""
    wait = 0
    try:
        windows = [(allowed, seconds, int(now // seconds)) for allowed, seconds in limits]
        counts = _redis_counts(
            [
                (f"ratelimit:{key}:{seconds}:{window}", seconds, 1 + carried.get(seconds, 0))
                for _a, seconds, window in windows
            ]
        )
        if counts is not None:
            for (allowed, seconds, window), count in zip(windows, counts, strict=True):
                if count > allowed:
                    wait = max(wait, max(1, int((window + 1) * seconds - now)))
            return wait
        for allowed, seconds in limits:
            window = int(now // seconds)
            cache_key = f"ratelimit:{key}:{seconds}:{window}"
            amount = 1 + carried.get(seconds, 0)
            cache.add(cache_key, 0, timeout=seconds + 5)
            try:
                count = cache.incr(cache_key, amount)
            except ValueError:  # expired between add and incr
                cache.set(cache_key, amount, timeout=seconds + 5)
                count = amount
            if count > allowed:
                wait = max(wait, max(1, int((window + 1) * seconds - now)))
    except Exception:  # the cache is down or misconfigured: serve, but say so
        logger.warning("rate limit store unavailable; request allowed", exc_info=True)
        return 0
    return wait
