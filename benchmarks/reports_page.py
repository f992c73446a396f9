"""The reports page at scale: 1,000,000 letters (from the Call Centre benchmark's database)
and 5,000,000 lookup-log rows, then the supervisor's page and an export timed through Django.

    make bench   # after callcentre_search.py, in the same database

Writes benchmarks/results/reports.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._django import RESULTS, client_in_role, setup

setup("dgk_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from appeals.models import Department, Letter, LookupLog  # noqa: E402
from appeals.roles import Role  # noqa: E402

LOOKUPS = int(os.environ.get("BENCH_LOOKUPS", "5000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))


def prepare() -> None:
    """Spread the letters over ten departments, give answered letters an answer date and
    their working days, and fill the lookup log over the last year."""
    departments = [
        Department.objects.get_or_create(code=f"B{n:02d}", defaults={"name_az": f"Bölmə {n}"})[0] for n in range(10)
    ]
    ids = [d.pk for d in departments]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE appeals_letter SET department_id = (%s::bigint[])[1 + id %% 10] WHERE department_id <> ALL(%s)",
            [ids, ids],
        )
        cursor.execute(
            "UPDATE appeals_letter SET closed_on = received_on + (5 + id %% 40)::int, "
            "answer_working_days = 3 + id %% 30 "
            "WHERE status = 'answered' AND closed_on IS NULL",
            [],
        )
        cursor.execute(
            "UPDATE appeals_letter SET received_on = received_on + ((2026 - registration_year) * 365)::int "
            "WHERE registration_year < 2026 AND id %% 2 = 0 AND received_on < '2025-01-01'",
            [],
        )
    have = LookupLog.objects.count()
    if have < LOOKUPS:
        print(f"adding {LOOKUPS - have:,} lookup-log rows …", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO appeals_lookuplog (occurred_at, channel, number, outcome, language, client_hash)
                SELECT now() - (n %% 365) * interval '1 day' - (n %% 86400) * interval '1 second',
                       CASE WHEN n %% 5 = 0 THEN 'api' ELSE 'web' END,
                       '',
                       (ARRAY['found', 'found', 'found', 'not_found', 'checksum', 'malformed', 'empty',
                              'rate_limited'])[1 + n %% 8],
                       'az', md5(n::text)
                FROM generate_series(1, %s) AS n
                """,
                [LOOKUPS - have],
            )
            cursor.execute("ANALYZE appeals_lookuplog")
            cursor.execute("ANALYZE appeals_letter")
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("summarise_lookups", "--days", "366", stdout=quiet)
    print(f"summarised a year of lookups in {time.perf_counter() - started:.1f} s")


def measure(client: Client, path: str, params: dict) -> dict:
    timings = []
    for attempt in range(REPEAT + 2):
        started = time.perf_counter()
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code
        if attempt >= 2:
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median_ms": round(statistics.median(timings), 1), "max_ms": round(timings[-1], 1)}


def main() -> None:
    call_command("migrate", verbosity=0)
    prepare()
    client = client_in_role("bench-supervisor", Role.SUPERVISOR)
    today = dt.date.today()
    windows = {
        "last 90 days (default)": {},
        "last 365 days": {"date_from": (today - dt.timedelta(days=365)).isoformat()},
    }
    results = {label: measure(client, "/az/reports/", params) for label, params in windows.items()}
    results["CSV export of the lookups, 365 days"] = measure(
        client, "/az/reports/export/lookups.csv", windows["last 365 days"]
    )
    report = {
        "letters": Letter.objects.count(),
        "lookup_log_rows": LookupLog.objects.count(),
        "repeat": REPEAT,
        "results": results,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (RESULTS / "reports.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
