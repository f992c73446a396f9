"""Throughput and latency of the public pages under load, as ratios to this stack's ceiling.

    make bench   # after callcentre_search.py has filled dgk_bench with 1,000,000 letters

gunicorn is started as in production (gunicorn.conf.py, production settings, Redis for the
rate limit) and wrk drives it from a second process: 16 connections, 2 threads, BENCH_SECONDS
per run. The ceiling is /healthz: a view that answers a constant without touching the
database, through the same middleware.

The lookup is measured as citizens use it: every request asks for a number drawn at random
from BENCH_NUMBERS (20,000) numbers sampled from the whole table (benchmarks/numbers.lua).
That is *the* lookup figure. It is also measured against 1,000 letters (varied numbers too),
to show the latency does not grow with the table; one number asked again and again is kept
only as a labelled best case.

The VM's speed drifts by a fifth over minutes, so every scenario is run BENCH_ROUNDS times,
each round right after the ceiling's own run, and the medians are reported (ratios per round).
At the end every lookup wrk saw answered is looked for in the lookup log. Writes
benchmarks/results/throughput.json and prints the table the README shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from appeals.numbers import format_registration_number  # noqa: E402
from benchmarks._django import logged_lookups, production_env, start_gunicorn  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "throughput.json"
PYTHON = sys.executable
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
BIG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dgk_bench")
SMALL = BIG.rsplit("/", 1)[0] + "/dgk_bench_1k"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SAMPLE_SIZE = int(os.environ.get("BENCH_NUMBERS", "20000"))
NUMBERS_SCRIPT = str(ROOT / "benchmarks" / "numbers.lua")
CEILING = "ceiling: /healthz"
LOOKUP = "lookup, found, varied numbers"
SMALL_LOOKUP = "lookup, found, varied numbers, at 1,000 letters"
STORM = "lookup, rate-limited (bot storm)"
BEST_CASE = "best case (not what citizens do): one number again and again"


def environment(database: str, **extra) -> dict:
    return production_env(
        database,
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


SAMPLE = """
from appeals.models import ApiClient
from appeals.models import Letter

client = ApiClient.objects.filter(name="bench").first() or ApiClient(name="bench", rate_limit_per_minute=10**8)
token = client.issue_token()
client.save()
print("TOKEN", token)
middle = Letter.objects.filter(executor__isnull=False).order_by("pk")[Letter.objects.count() // 2]
print("NUMBER", middle.registration_number)
"""


def sample(database: str, folder: Path) -> dict:
    """An API token, one letter for the best case, and files of numbers: SAMPLE_SIZE drawn at
    random from the whole table, and as many well-formed numbers that nobody has."""
    found = dict(re.findall(r"^(NUMBER|TOKEN) (\S+)$", manage(database, "shell", "-c", SAMPLE), re.M))
    drawn = subprocess.run(
        [
            "psql",
            database,
            "-tAc",
            f"SELECT registration_number FROM appeals_letter ORDER BY random() LIMIT {SAMPLE_SIZE}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    name = database.rsplit("/", 1)[-1]
    found["NUMBERS"] = str(folder / f"{name}-found.txt")
    Path(found["NUMBERS"]).write_text("\n".join(drawn) + "\n")
    found["UNKNOWN"] = str(folder / f"{name}-unknown.txt")
    Path(found["UNKNOWN"]).write_text(
        "\n".join(format_registration_number(2099, sequence) for sequence in range(1, SAMPLE_SIZE + 1)) + "\n"
    )
    return found


def start(database: str, port: int, **extra) -> subprocess.Popen:
    return start_gunicorn(environment(database, **extra), port)


def wrk(url: str, *headers: str, numbers: str = "", prefix: str = "") -> dict:
    """One wrk run; with ``numbers`` every request asks for a number drawn from that file."""
    script = ["-s", NUMBERS_SCRIPT] if numbers else []
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--latency",
        *script,
        *[part for header in headers for part in ("-H", header)],
        url,
        *(["--", numbers, prefix] if numbers else []),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    statuses = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": millis("50"),
        "p99_ms": millis("99"),
        "non_2xx": int(statuses.group(1)) if statuses else 0,
    }


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# What each scenario must answer: a server that answers something else (a 500 from missing
# static files, say) stops the benchmark instead of producing a table of fast errors.
EXPECTED = {
    CEILING: 200,
    LOOKUP: 200,
    "lookup, not found, varied numbers": 404,
    "lookup, malformed": 400,
    "home page": 200,
    "API, found, varied numbers": 200,
    STORM: 429,
    SMALL_LOOKUP: 200,
    BEST_CASE: 200,
}


def status_of(url: str, *headers: str) -> int:
    request = urllib.request.Request(url, headers=dict(header.split(": ", 1) for header in headers))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check(scenarios: dict) -> None:
    """Every scenario answers what it should, for a few of its numbers."""
    for name, (args, options) in scenarios.items():
        urls = [args[0]]
        if options:
            numbers = Path(options["numbers"]).read_text().split()
            urls = [args[0] + options["prefix"] + number for number in numbers[:: max(1, len(numbers) // 5)]]
        for url in urls:
            status = status_of(url, *args[1:])
            if EXPECTED[name] == 429 and status != 429:  # the first lookup of the storm is allowed
                status = status_of(url, *args[1:])
            if status != EXPECTED[name]:
                sys.exit(f"{name}: expected {EXPECTED[name]}, got {status} from {url}")


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def main() -> None:
    prepare()
    folder = Path(tempfile.mkdtemp(prefix="dgk-bench-"))
    big, small = sample(BIG, folder), sample(SMALL, folder)
    answered_rows = "outcome <> 'rate_limited'"  # a storm logs its first refusal per window only
    logged_before = logged_lookups(BIG, answered_rows)
    # Three servers at once, each with a Redis database of its own: the million, the thousand,
    # and the million with a limit of one lookup (the bot storm). Idle, they cost nothing.
    servers = {
        "big": (BIG, 8301, "redis://127.0.0.1:6379/14", {}),
        "small": (SMALL, 8302, "redis://127.0.0.1:6379/13", {}),
        "storm": (BIG, 8303, "redis://127.0.0.1:6379/12", {"LOOKUP_RATE_PER_MINUTE": "1", "LOOKUP_RATE_PER_DAY": "1"}),
    }
    for _database, _port, redis_url, _extra in servers.values():
        flush_redis(redis_url)
    processes = [start(database, port, REDIS_URL=url, **extra) for database, port, url, extra in servers.values()]
    api = f"Authorization: Bearer {big['TOKEN']}"
    track = "/az/track/?number="

    def varied(numbers: str, prefix: str = track) -> dict:
        return {"numbers": numbers, "prefix": prefix}

    scenarios = {  # name: (wrk's url and headers, where the numbers come from)
        CEILING: (("http://127.0.0.1:8301/healthz",), {}),
        LOOKUP: (("http://127.0.0.1:8301",), varied(big["NUMBERS"])),
        "lookup, not found, varied numbers": (("http://127.0.0.1:8301",), varied(big["UNKNOWN"])),
        "lookup, malformed": (("http://127.0.0.1:8301/az/track/?number=hello",), {}),
        "home page": (("http://127.0.0.1:8301/az/",), {}),
        "API, found, varied numbers": (("http://127.0.0.1:8301", api), varied(big["NUMBERS"], "/api/v1/letters/")),
        STORM: (("http://127.0.0.1:8303/az/track/?number=hello",), {}),
        SMALL_LOOKUP: (("http://127.0.0.1:8302",), varied(small["NUMBERS"])),
        BEST_CASE: ((f"http://127.0.0.1:8301/az/track/?number={big['NUMBER']}",), {}),
    }
    runs: dict[str, list[dict]] = {name: [] for name in scenarios}
    try:
        check(scenarios)
        # Rounds, each scenario right after the ceiling's own run in that round: the VM's speed
        # drifts by a fifth over minutes, and a ratio of two runs far apart would measure that.
        for round_number in range(ROUNDS):
            print(f"round {round_number + 1} of {ROUNDS}", flush=True)
            for name, (args, options) in scenarios.items():
                runs[name].append(wrk(*args, **options))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    for _database, _port, redis_url, _extra in servers.values():
        flush_redis(redis_url)

    results = {}
    for name, rows in runs.items():
        ceilings = [row["requests_per_s"] for row in runs[CEILING]]
        results[name] = {
            "requests_per_s": median([row["requests_per_s"] for row in rows]),
            "ratio_to_ceiling": median([row["requests_per_s"] / c for row, c in zip(rows, ceilings, strict=True)]),
            "p50_ms": median([row["p50_ms"] for row in rows]),
            "p99_ms": median([row["p99_ms"] for row in rows]),
            "non_2xx": sum(row["non_2xx"] for row in rows),
            "requests": sum(row["requests"] for row in rows),
            "runs": rows,
        }
    # Every lookup answered must be in the log (the servers have stopped). wrk counts the
    # answers it read; a request in flight when it stops may be logged too. The bot storm's
    # refusals are counted by the limiter, and only the first of each window is logged.
    answered = sum(
        row["requests"]
        for name, row in results.items()
        if name.startswith(("lookup", "API", "best case")) and name not in (SMALL_LOOKUP, STORM)
    )
    logged = logged_lookups(BIG, answered_rows) - logged_before
    found, small_found = results[LOOKUP], results[SMALL_LOOKUP]
    report = {
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}",
        "gunicorn_workers": os.environ.get("WEB_CONCURRENCY", "default (2 x cores + 1)"),
        "connections": int(CONNECTIONS),
        "seconds_each": int(DURATION),
        "rounds": ROUNDS,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
        "lookup_p50_1m_vs_1k": round(found["p50_ms"] / small_found["p50_ms"], 2),
        "lookup_p99_1m_vs_1k": round(found["p99_ms"] / small_found["p99_ms"], 2),
        "lookup_log": {"lookups_answered": answered, "rows_written": logged},
        "varied_numbers": SAMPLE_SIZE,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\n{CONNECTIONS} connections, {DURATION} s each, median of {ROUNDS} rounds, gunicorn with production settings;"
        f" varied numbers: {SAMPLE_SIZE:,} drawn at random from the whole table"
    )
    print("| scenario | requests/s | ratio to ceiling | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, row in results.items():
        print(
            f"| {name} | {row['requests_per_s']:.0f} | {row['ratio_to_ceiling']:.0%} | {row['p50_ms']} | "
            f"{row['p99_ms']} | {row['non_2xx']} |"
        )
    print(
        f"\nlookup at 1,000 letters: p50 {small_found['p50_ms']} ms, p99 {small_found['p99_ms']} ms; "
        f"at 1,000,000: p50 {found['p50_ms']} ms, p99 {found['p99_ms']} ms "
        f"(ratios {report['lookup_p50_1m_vs_1k']}, {report['lookup_p99_1m_vs_1k']})"
    )
    print(f"lookups answered: {answered:,}; lookup-log rows written: {logged:,}")
    if logged < answered:
        sys.exit(f"{answered - logged:,} answered lookups are missing from the log")


if __name__ == "__main__":
    main()
