"""Throughput and latency of the public pages under load, as ratios to this stack's ceiling.

    make bench   # after callcentre_search.py has filled dgk_bench with 1,000,000 letters

gunicorn is started as in production (gunicorn.conf.py, production settings, Redis for the
rate limit) and wrk drives it from a second process: 16 connections, 2 threads, DURATION s
per scenario. The ceiling is /healthz: a view that answers a constant without touching the
database, through the same middleware. The lookup is also measured against 1,000 letters to
show the latency does not grow with the table. Writes benchmarks/results/throughput.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._django import production_env  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "throughput.json"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
BIG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dgk_bench")
SMALL = BIG.rsplit("/", 1)[0] + "/dgk_bench_1k"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def environment(database: str, **extra) -> dict:
    return production_env(
        database,
        REDIS_URL=REDIS,
        DJANGO_CONN_MAX_AGE="600",
        GUNICORN_MAX_REQUESTS="0",  # no worker restarts in the middle of a measurement
        **extra,
    )


def manage(database: str, *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=environment(database), check=True, capture_output=True, text=True
    )
    return out.stdout


def prepare() -> None:
    """Static files as production serves them (the manifest the templates need), and the small database."""
    manage(BIG, "collectstatic", "--noinput", "-v", "0")
    subprocess.run(
        ["psql", SMALL.rsplit("/", 1)[0] + "/postgres", "-qc", "CREATE DATABASE dgk_bench_1k"], capture_output=True
    )
    manage(SMALL, "migrate", "--noinput", "-v", "0")
    manage(SMALL, "seed_demo", "--letters", "1000")


def sample(database: str) -> dict:
    script = (
        "from appeals.models import Letter; from appeals.numbers import format_registration_number as f;"
        "from api.models import ApiClient;"
        "l = Letter.objects.filter(executor__isnull=False).order_by('pk')[Letter.objects.count() // 2];"
        "c = ApiClient.objects.filter(name='bench').first() or ApiClient(name='bench', rate_limit_per_minute=10**8);"
        "t = c.issue_token(); c.save();"
        "print('NUMBER', l.registration_number); print('UNKNOWN', f(2099, 424242)); print('TOKEN', t)"
    )
    found = dict(re.findall(r"^(NUMBER|UNKNOWN|TOKEN) (\S+)$", manage(database, "shell", "-c", script), re.M))
    return found


def start(database: str, port: int, **extra) -> subprocess.Popen:
    env = environment(database, GUNICORN_BIND=f"127.0.0.1:{port}", **extra)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [GUNICORN, "-c", "gunicorn.conf.py", "dgk_tracker.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, *headers: str) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--latency",
        *[part for header in headers for part in ("-H", header)],
        url,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    statuses = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": millis("50"),
        "p99_ms": millis("99"),
        "non_2xx": int(statuses.group(1)) if statuses else 0,
    }


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def main() -> None:
    prepare()
    flush_redis()
    results: dict[str, dict] = {}
    for label, database, port in (("1,000,000 letters", BIG, 8301), ("1,000 letters", SMALL, 8302)):
        data = sample(database)
        server = start(database, port)
        base = f"http://127.0.0.1:{port}"
        try:
            wrk(f"{base}/healthz")  # warm-up
            scenarios = {
                "ceiling: /healthz": (f"{base}/healthz",),
                "lookup, found": (f"{base}/az/track/?number={data['NUMBER']}",),
                "lookup, not found": (f"{base}/az/track/?number={data['UNKNOWN']}",),
                "lookup, malformed": (f"{base}/az/track/?number=hello",),
                "home page": (f"{base}/az/",),
                "API, found": (f"{base}/api/v1/letters/{data['NUMBER']}", f"Authorization: Bearer {data['TOKEN']}"),
            }
            if label.startswith("1,000 "):
                scenarios = {k: v for k, v in scenarios.items() if k in ("ceiling: /healthz", "lookup, found")}
            results[label] = {name: wrk(*args) for name, args in scenarios.items()}
        finally:
            server.terminate()
            server.wait(timeout=30)
    flush_redis()
    server = start(BIG, 8303, LOOKUP_RATE_PER_MINUTE="1", LOOKUP_RATE_PER_DAY="1")
    try:
        results["1,000,000 letters"]["lookup, rate-limited (bot storm)"] = wrk(
            "http://127.0.0.1:8303/az/track/?number=hello"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    flush_redis()

    big = results["1,000,000 letters"]
    ceiling = big["ceiling: /healthz"]["requests_per_s"]
    for row in big.values():
        row["ratio_to_ceiling"] = round(row["requests_per_s"] / ceiling, 3)
    small_lookup = results["1,000 letters"]["lookup, found"]
    report = {
        "machine": f"{os.cpu_count()} cores",
        "gunicorn_workers": os.environ.get("WEB_CONCURRENCY", "default (2 x cores + 1)"),
        "connections": int(CONNECTIONS),
        "seconds_each": int(DURATION),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
        "lookup_p50_1m_vs_1k": round(big["lookup, found"]["p50_ms"] / small_lookup["p50_ms"], 2),
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{CONNECTIONS} connections, {DURATION} s each, gunicorn with production settings")
    print("| scenario (1,000,000 letters) | requests/s | ratio to ceiling | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, row in big.items():
        print(
            f"| {name} | {row['requests_per_s']:.0f} | {row['ratio_to_ceiling']:.0%} | {row['p50_ms']} | "
            f"{row['p99_ms']} | {row['non_2xx']} |"
        )
    print(
        f"\nlookup p50 at 1,000 letters: {small_lookup['p50_ms']} ms; "
        f"at 1,000,000: {big['lookup, found']['p50_ms']} ms (ratio {report['lookup_p50_1m_vs_1k']})"
    )


if __name__ == "__main__":
    main()
