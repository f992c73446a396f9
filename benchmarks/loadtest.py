"""Fault and load test (`make loadtest`, not part of `make test`).

Starts gunicorn with the production settings against this machine's PostgreSQL (database
dgk_loadtest, demo data), drives the public lookup from a second process with a mix of known,
unknown, mistyped and malformed numbers, stops PostgreSQL in the middle of the run and starts
it again, then reports throughput, latency and status codes per phase, and whether every
request after recovery got a 2xx or 4xx. Results: benchmarks/results/loadtest.json.

Bounded: DURATION seconds of load, loopback only, PostgreSQL restarted in a finally block.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._django import logged_lookups, production_env, start_gunicorn  # noqa: E402

PORT = int(os.environ.get("LOADTEST_PORT", "8099"))
DURATION = float(os.environ.get("LOADTEST_SECONDS", "45"))
DOWN_AT, UP_AT = DURATION * 0.35, DURATION * 0.55  # PostgreSQL is stopped between these
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "8"))
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dgk_loadtest")
RESULTS = ROOT / "benchmarks" / "results" / "loadtest.json"
PYTHON = sys.executable


def cluster() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def postgres(action: str) -> None:
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            cluster(),
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=True,
        timeout=60,
    )


def server_env() -> dict:
    return production_env(
        DATABASE_URL,
        WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "4"),
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_CONN_MAX_AGE="60",
    )


def prepare() -> list[str]:
    env = server_env()
    subprocess.run(
        ["psql", DATABASE_URL.rsplit("/", 1)[0] + "/postgres", "-qc", "CREATE DATABASE dgk_loadtest"],
        capture_output=True,
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "seed_demo", "--letters", "2000"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    out = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from appeals.models import Letter; "
            "print('\\n'.join(Letter.objects.values_list('registration_number', flat=True)[:500]))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [word for word in out.stdout.split() if re.fullmatch(r"\d{4}-\d{6,9}-\d", word)]


def worker(numbers: list[str], start: float, queue) -> None:
    sys.path.insert(0, str(ROOT))
    from appeals.numbers import format_registration_number

    rng = random.Random(os.getpid())
    records = []
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    while time.time() - start < DURATION:
        kind = rng.choices(["known", "unknown", "checksum", "malformed"], [6, 2, 1, 1])[0]
        base = rng.choice(numbers)
        number = {
            "known": base,
            "unknown": format_registration_number(2026, rng.randint(500000, 900000)),
            "checksum": base[:-1] + str((int(base[-1]) + 1) % 10),
            "malformed": "hello",
        }[kind]
        sent = time.time()
        try:
            connection.request("GET", f"/az/track/?number={number}")
            response = connection.getresponse()
            response.read()
            status = response.status
        except Exception:
            status = 0  # no answer at all
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        records.append((sent - start, time.time() - sent, status, kind))
    queue.put(records)


def phase(t: float) -> str:
    if t < DOWN_AT:
        return "before"
    if t < UP_AT:
        return "database down"
    return "after"


def summarise(records: list) -> dict:
    report = {}
    recovery_deadline = UP_AT + 5  # allow the workers a few seconds to reconnect
    for name in ("before", "database down", "after"):
        rows = [r for r in records if phase(r[0]) == name]
        latencies = sorted(r[1] * 1000 for r in rows)
        span = {"before": DOWN_AT, "database down": UP_AT - DOWN_AT, "after": DURATION - UP_AT}[name]
        report[name] = {
            "requests": len(rows),
            "per_second": round(len(rows) / span, 1),
            "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 2) if latencies else None,
            "max_ms": round(latencies[-1], 2) if latencies else None,
            "status_codes": dict(sorted(Counter(str(r[2]) for r in rows).items())),
        }
    late = [r for r in records if r[0] >= recovery_deadline]
    report["after recovery, only 2xx/4xx"] = all(200 <= r[2] < 500 for r in late)
    report["after recovery, requests"] = len(late)
    report["expected 4xx kinds correct"] = all((r[2] in (400,)) == (r[3] in ("checksum", "malformed")) for r in late)
    return report


def main() -> None:
    sys.path.insert(0, str(ROOT))
    numbers = prepare()
    logged_before = logged_lookups(DATABASE_URL)
    server = start_gunicorn(server_env(), PORT)
    postgres_stopped = False
    try:
        queue = multiprocessing.Queue()
        start = time.time()
        clients = [multiprocessing.Process(target=worker, args=(numbers, start, queue)) for _ in range(CONNECTIONS)]
        for client in clients:
            client.start()
        time.sleep(DOWN_AT)
        postgres("stop")
        postgres_stopped = True
        time.sleep(UP_AT - DOWN_AT)
        postgres("start")
        postgres_stopped = False
        records = []
        for _ in clients:
            records.extend(queue.get(timeout=DURATION + 60))
        for client in clients:
            client.join()
    finally:
        if postgres_stopped:
            postgres("start")
        server.terminate()
        server.wait(timeout=30)
    report = {
        "duration_s": DURATION,
        "connections": CONNECTIONS,
        "gunicorn_workers": int(server_env()["WEB_CONCURRENCY"]),
        "database_down_between_s": [round(DOWN_AT, 1), round(UP_AT, 1)],
        **summarise(records),
    }
    # Every lookup answered (not a 503: a lookup that cannot be recorded is not answered) has
    # exactly one row: none lost, none doubled.
    answered = sum(1 for r in records if r[2] and r[2] < 500)
    written = logged_lookups(DATABASE_URL) - logged_before
    report["lookup log"] = {"lookups answered": answered, "rows written": written}
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    if written != answered:
        sys.exit(f"{answered:,} lookups answered but {written:,} rows written")


if __name__ == "__main__":
    main()
