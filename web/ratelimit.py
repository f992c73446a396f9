"""Fixed-window request counters: in Redis when REDIS_URL is set, so every app process shares
them; in this process's memory otherwise, and while Redis is unreachable, so an outage weakens
the limit (each process counts on its own) instead of lifting it.

Each request is one round trip to Redis, one command: a small script that counts the request in
every window (INCR, and EXPIRE when a window's counter is new), on one redis-py client per
process. (Django's Redis cache builds a new client for every call and needs two or three calls
per window: that cost a lookup 0.7 ms of CPU in `make bench`; a pipeline of INCR and EXPIRE NX
per window, 0.33 ms within a request; the script, 0.22 ms, benchmarks/profile_lookup.py.)
Nothing but counters is stored: keys are ``ratelimit:<key>:<window seconds>:<window number>``
and the callers pass keys that hold no personal data (a keyed hash of the address)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

RETRY_REDIS_AFTER = 5.0  # seconds of counting in memory after Redis failed, before asking it again
_MEMORY_MAX = 100_000

_lock = threading.Lock()
_memory: dict[str, tuple[int, float]] = {}  # counter key -> (count, when its window ends), this process
_state = {"script": None, "url": None, "down_until": 0.0}


def forget() -> None:
    """Drop this process's counters and client (tests; a change of settings)."""
    with _lock:
        _memory.clear()
        _state.update(script=None, url=None, down_until=0.0)


# KEYS: the counters; ARGV: how long each lives. Returns the counts.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('INCR', key)
    if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return counts
"""


def _script():
    url = settings.REDIS_URL
    if _state["script"] is None or _state["url"] != url:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        _state.update(url=url, script=client.register_script(_COUNT))
    return _state["script"]


def _in_redis(counters: list[tuple[str, int]]) -> list[int]:
    return _script()(keys=[key for key, _seconds in counters], args=[seconds + 5 for _key, seconds in counters])


def _in_memory(counters: list[tuple[str, int]], now: float) -> list[int]:
    with _lock:
        if len(_memory) >= _MEMORY_MAX:  # drop the windows that have ended
            for key in [key for key, (_count, ends) in _memory.items() if ends <= now]:
                del _memory[key]
            if len(_memory) >= _MEMORY_MAX:
                _memory.clear()
        counts = []
        for key, seconds in counters:
            count, ends = _memory.get(key, (0, (now // seconds + 1) * seconds))
            _memory[key] = (count + 1, ends)
            counts.append(count + 1)
        return counts


def _counts(counters: list[tuple[str, int]], now: float) -> list[int]:
    if settings.REDIS_URL and now >= _state["down_until"]:
        try:
            return _in_redis(counters)
        except Exception:
            _state["down_until"] = now + RETRY_REDIS_AFTER
            logger.warning("rate limit store unavailable; counting per process", exc_info=True)
    return _in_memory(counters, now)


@dataclass(frozen=True)
class Verdict:
    wait: int = 0  # 0: allowed; else the seconds until a request would be
    first_refusal: bool = False  # the first request over a limit in its window

    def __bool__(self) -> bool:
        return self.wait > 0


def check(key: str, limits: list[tuple[int, int]], *, now: float | None = None) -> Verdict:
    """Count one request under ``key`` against each (allowed, window seconds) limit."""
    now = time.time() if now is None else now
    windows = [(allowed, seconds, int(now // seconds)) for allowed, seconds in limits]
    counts = _counts([(f"ratelimit:{key}:{seconds}:{window}", seconds) for _a, seconds, window in windows], now)
    wait, first = 0, False
    for (allowed, seconds, window), count in zip(windows, counts, strict=True):
        if count > allowed:
            wait = max(wait, max(1, int((window + 1) * seconds - now)))
            first = first or count == allowed + 1
    return Verdict(wait, first and wait > 0)
