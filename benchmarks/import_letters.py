"""Import speed: a 100,000-row registry export into PostgreSQL, then the same file again.

    make bench   # runs this after the Call Centre benchmark

Writes benchmarks/results/import.json: seconds for the first import (all rows created, with
their audit history, events and public read model), the second (all unchanged), the third (the
next export: open letters moved one status on, so updated with events and history), and the
peak resident memory of the process.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._django import RESULTS as RESULTS_DIR
from benchmarks._django import setup

os.environ.setdefault("DJANGO_DEBUG", "false")  # as the command runs in production: no query log
setup("dgk_bench_import")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from appeals.imports import COLUMNS, import_letters  # noqa: E402
from appeals.models import Letter  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
RESULTS = RESULTS_DIR / "import.json"
HEADER = list(COLUMNS)


SUBJECTS = [
    'Avtomobilin gömrük rəsmiləşdirilməsi, "ƏDV" və aksiz: sənədlərin yoxlanılması barədə',
    "Запрос о возврате таможенной пошлины, уплаченной 12.03.2026 по декларации № 1234/5678",
    'Şikayət: "Qırmızı dəhliz" 🚗, yükün saxlanılması, 3 gün gecikmə; təcili baxılmasını xahiş edirəm',
    "Poçt göndərişi 📦 saxlanılıb, izahat tələb olunur (gömrük dəyəri, rüsum, cərimə)",
]


def make_file(path: Path, *, advance: bool = False) -> None:
    """ROWS realistic rows: long subjects with quotes, commas and emoji, 30 departments.
    ``advance`` moves every open letter one step on, as the registry's next export would."""
    rng = random.Random(7)
    statuses = ["registered", "assigned", "in_progress", "answered", "answered", "forwarded"]
    following = {"assigned": "in_progress", "in_progress": "answered"}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(ROWS):
            department = rng.randint(1, 30)
            status = rng.choice(statuses)
            subject = f"{rng.choice(SUBJECTS)} — {index}, {rng.choice(SUBJECTS)}"[:500]
            if advance:
                status = following.get(status, status)
            executor = "" if status in ("registered", "forwarded") else f"İcraçı {department}-{rng.randint(1, 8)}"
            received = dt.date(2024, 1, 1) + dt.timedelta(days=index * 300 // ROWS)
            writer.writerow(
                [
                    "" if index % 2 else _valid(2024, index + 1),
                    received.isoformat(),
                    rng.choice(["letter", "request"]),
                    rng.choice(["post", "electronic", "in_person", "call_centre"]),
                    subject,
                    f"Məmmədova Aygün {index}",
                    f"user{index}@example.az" if index % 3 == 0 else "",
                    f"+994 50 {index % 1000:03d} {index % 100:02d} {index % 97:02d}",
                    f"D{department:02d}",
                    f"Bölmə {department}",
                    executor,
                    "Baş mütəxəssis" if executor else "",
                    "+994 12 404 22 00" if executor else "",
                    status,
                ]
            )


def _valid(year: int, sequence: int) -> str:
    from appeals.numbers import format_registration_number

    return format_registration_number(year, sequence)


def timed(path: str) -> tuple[float, object]:
    started = time.perf_counter()
    result = import_letters(path=path)
    return time.perf_counter() - started, result


def main() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appeals_letter, appeals_statusevent, appeals_registrationcounter CASCADE")
        cursor.execute("TRUNCATE appeals_historicalletter")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        make_file(path)
        size_mb = path.stat().st_size / 2**20
        first_seconds, first = timed(str(path))
        second_seconds, second = timed(str(path))
        make_file(path, advance=True)
        third_seconds, third = timed(str(path))
    assert first.ok and first.created == ROWS, first.errors[:5]
    assert second.unchanged == ROWS
    assert third.ok and third.updated > 0, third.errors[:5]
    report = {
        "rows": ROWS,
        "file_mb": round(size_mb, 1),
        "first_import_s": round(first_seconds, 1),
        "second_import_s": round(second_seconds, 1),
        "third_import_s (next export: statuses moved on)": round(third_seconds, 1),
        "third_import_updated": third.updated,
        "letters_after": Letter.objects.count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
