"""Where a found lookup's time goes, in process: CPU time per request through the whole Django
stack (production settings, the real WSGI handler), and per part, over numbers drawn at random
from the whole table. /healthz is shown for scale: it crosses the same middleware.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dgk_bench .venv/bin/python benchmarks/profile_lookup.py

The parts are timed by wrapping each function (process time, so waiting on PostgreSQL or Redis
is left out); a part inside another counts in both.
"""

from __future__ import annotations

import collections
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._django import production_env

os.environ.update(
    production_env(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dgk_bench"),
        DJANGO_CONN_MAX_AGE="600",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11"),
    )
)
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "5000")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.db import connection  # noqa: E402
from django.template.backends import jinja2 as jinja2_backend  # noqa: E402

from appeals import lookup  # noqa: E402
from appeals.views import public  # noqa: E402
from web import ratelimit  # noqa: E402

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "3000"))
PARTS = {  # label: (module or class, function)
    "the lookup (limit, parse, find and record, overdue days)": (lookup, "look_up"),
    "  find and record: one statement": (lookup, "find_and_record"),
    "  rate limit: one Redis command": (ratelimit, "check"),
    "  overdue days: the calendar, when overdue": (lookup, "count_overdue_days"),
    "result page (Jinja2)": (jinja2_backend.Template, "render"),
    "page address and time": (public, "result_context"),
}
spent: collections.Counter = collections.Counter()


def timed(owner, name: str, label: str) -> None:
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    setattr(owner, name, wrapper)


def get(path: str, query: str = "") -> str:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status = []
    b"".join(application(environ, lambda line, headers, exc_info=None: status.append(line)))
    return status[0]


def cpu_per_request(paths: list[tuple[str, str]]) -> float:
    started = time.process_time()
    for path, query in paths:
        get(path, query)
    return (time.process_time() - started) / len(paths) * 1000


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT registration_number FROM appeals_letter ORDER BY random() LIMIT {REQUESTS}")
        numbers = [row[0] for row in cursor.fetchall()]
    found = [("/az/track/", f"number={number}") for number in numbers]
    assert get(*found[0]).startswith("200"), "the first number was not found"
    cpu_per_request(found[:200] + [("/healthz", "")] * 200)  # warm-up
    print(f"CPU per request in process, {len(numbers):,} numbers drawn at random from the whole table:")
    print(f"  /healthz                     {cpu_per_request([('/healthz', '')] * len(numbers)):.3f} ms")
    print(f"  found lookup, varied numbers {cpu_per_request(found):.3f} ms")
    for label, (owner, name) in PARTS.items():
        timed(owner, name, label)
    spent.clear()
    cpu_per_request(found)
    for label in PARTS:
        print(f"    {label:<58} {spent[label] / len(numbers) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
