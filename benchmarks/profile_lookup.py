"""Where a found lookup's time goes, in process (cProfile), over numbers drawn at random from
the whole table: the template, the read-model query, the log insert and the rest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dgk_bench .venv/bin/python benchmarks/profile_lookup.py
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._django import production_env, setup

# Production settings (no DEBUG query log), rate limits out of the way, as in throughput.py.
os.environ.update(production_env(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dgk_bench")))
setup("dgk_bench")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "2000"))
PARTS = {
    "template rendering": ("django/template/backends/django.py", "render"),
    "read-model query": ("appeals/lookup.py", "find_public_letter"),
    "lookup-log insert": ("appeals/lookup.py", "record_lookup"),
    "rate limit": ("web/ratelimit.py", "check"),
    "read-model data to view": ("appeals/publicview.py", "__init__"),
}


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT registration_number FROM appeals_letter ORDER BY random() LIMIT {REQUESTS}")
        numbers = [row[0] for row in cursor.fetchall()]
    client = Client(HTTP_HOST="127.0.0.1")
    for number in numbers[:50]:  # warm-up: templates compiled, catalogues loaded
        client.get("/az/track/", {"number": number})
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for number in numbers:
        assert client.get("/az/track/", {"number": number}).status_code == 200
    profiler.disable()
    elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    total = sum(
        row[3] for key, row in stats.stats.items() if key[2] == "get" and key[0].endswith("django/test/client.py")
    )
    print(f"{REQUESTS} found lookups, varied numbers: {elapsed / REQUESTS * 1000:.2f} ms each under the profiler")
    for label, (filename, function) in PARTS.items():
        spent = max(
            (row[3] for key, row in stats.stats.items() if key[0].endswith(filename) and key[2] == function),
            default=0.0,
        )
        print(f"  {label:<26} {spent / total:6.1%}")


if __name__ == "__main__":
    main()
