"""Call Centre search at scale: generate N letters in PostgreSQL, then time each kind of search.

    make bench                      # 1,000,000 letters in the database dgk_bench
    BENCH_LETTERS=100000 make bench # a smaller run

The data is generated once (kept while the row count matches) with COPY, then ANALYZEd. Each
search runs through the same code the page uses (callcentre.services.search_letters, first
page = 21 rows), REPEAT times after a warm-up; the median and 95th percentile go to
benchmarks/results/callcentre.json and the table printed at the end (copied into the README).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._django import RESULTS as RESULTS_DIR
from benchmarks._django import ROOT, client_in_role, setup
from benchmarks.names import SURNAMES

# Each search is timed REPEAT times through the page: far beyond an operator's rate limit.
os.environ.setdefault("CALLCENTRE_SEARCHES_PER_MINUTE", "100000000")
os.environ.setdefault("CALLCENTRE_SEARCHES_PER_DAY", "100000000")
setup("dgk_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from appeals import publicview  # noqa: E402
from appeals.models import Department, Executor, Letter, PublicLetter, StatusEvent  # noqa: E402
from appeals.numbers import RegistrationNumber  # noqa: E402
from appeals.roles import Role  # noqa: E402
from appeals.searchkey import name_key, phone_key, phone_tail  # noqa: E402
from callcentre.query import classify  # noqa: E402
from callcentre.services import search_letters  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))
RESULTS = RESULTS_DIR / "callcentre.json"

MALE = [
    "Elvin",
    "Rəşad",
    "Orxan",
    "Tural",
    "Kamran",
    "Ramil",
    "Elnur",
    "Vüqar",
    "İlqar",
    "Murad",
    "Anar",
    "Rauf",
    "Fuad",
    "Samir",
    "Ceyhun",
    "Emin",
    "Nicat",
]
FEMALE = [
    "Aygün",
    "Leyla",
    "Nigar",
    "Günel",
    "Səbinə",
    "Fidan",
    "Könül",
    "Aynur",
    "Şəbnəm",
    "Ülviyyə",
    "Lalə",
    "Nərmin",
    "Sevinc",
    "Türkan",
    "Aysel",
]
SEARCHES = [
    ("number", None),
    ("phone (+994 …)", None),
    ("phone (0… with dashes)", None),
    ("phone (last 7 digits, no code)", None),
    ("e-mail", None),
    ("name: common surname", "memmedov"),
    ("name: surname + first name, any order", "leyla hesenova"),
    ("name: full name with patronymic", "ismayilova aysel rauf"),
    ("name: rare fragment", "qehremanova sevinc"),
    # Passport and Russian spellings of the same names (searchkey.fold folds them together).
    ("name: passport spelling", "Mammadova Leyla"),
    ("name: Russian spelling", "Мамедова Лейла"),
    ("name: Russian surname", "Гасанов"),
    ("name: passport surname + first name", "Jafarova Gunel"),
    ("name: passport spelling, rare", "Gahramanov Ceyhun"),
]


def person(rng: random.Random) -> str:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE if female else MALE)
    surname = rng.choice(SURNAMES) + ("a" if female else "")
    father = rng.choice(MALE)
    return f"{surname} {first} {father} {'qızı' if female else 'oğlu'}"


class _Row:
    """Attributes for publicview.build: the benchmark writes the read model with the real builder."""

    def __init__(self, **fields) -> None:
        self.__dict__.update(fields)


def _directory() -> tuple[list[Department], list[Executor]]:
    """30 departments with 3 executors each, named in three languages."""
    departments, executors = [], []
    for n in range(30):
        department, _ = Department.objects.get_or_create(
            code=f"BENCH{n:02d}",
            defaults={
                "name_az": f"Gömrük nəzarəti şöbəsi {n}",
                "name_ru": f"Отдел таможенного контроля {n}",
                "name_en": f"Customs Control Section {n}",
                "phone": "(012) 404-22-20",
            },
        )
        departments.append(department)
        for k in range(3):
            executor, _ = Executor.objects.get_or_create(
                full_name=f"{SURNAMES[(n + k) % len(SURNAMES)]} {MALE[k]}",
                department=department,
                defaults={
                    "position_az": "Baş mütəxəssis",
                    "position_ru": "Главный специалист",
                    "position_en": "Chief specialist",
                    "phone": f"+994 12 404 {22 + k} {10 + n}",
                },
            )
            executors.append(executor)
    return departments, executors


def _copy(cursor, table: str, columns: list[str], rows: io.StringIO) -> None:
    rows.seek(0)
    cursor.copy_from(rows, table, columns=columns)


def generate() -> None:
    """LETTERS letters over seven years, each with its history (registration, assignment,
    status changes) and its public read model, written with COPY."""
    if Letter.objects.count() == LETTERS == PublicLetter.objects.count() and StatusEvent.objects.count() > LETTERS:
        print(f"{LETTERS:,} letters already there; reusing them")
        return
    print(f"generating {LETTERS:,} letters …", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appeals_letter, appeals_statusevent, appeals_registrationcounter CASCADE")
    departments, executors = _directory()
    rng = random.Random(42)
    columns = [
        "id",
        "registration_number",
        "registration_year",
        "registration_sequence",
        "kind",
        "channel",
        "received_on",
        "subject",
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "applicant_search_key",
        "applicant_phone_key",
        "applicant_phone_tail",
        "applicant_language",
        "department_id",
        "executor_id",
        "status",
        "needs_additional_study",
        "due_date",
        "created_at",
        "updated_at",
        "extension_reason",
        "forwarded_to",
        "closure_reason",
        "import_key",
        "due_date_provisional",
        "forwarding_due",
        "notice_due",
        "extension_ground",
        "answer_channel",
        "outgoing_number",
        "non_consideration_ground",
    ]
    event_columns = [
        "letter_id",
        "occurred_at",
        "kind",
        "from_status",
        "to_status",
        "department_id",
        "public_note",
        "staff_note",
    ]
    per_year = LETTERS // 7 + 1
    now = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
    paths = [
        [],
        ["assigned"],
        ["assigned", "in_progress"],
        ["assigned", "in_progress", "answered"],
        ["assigned", "in_progress", "answered"],
        ["assigned", "in_progress", "awaiting_applicant", "in_progress", "answered"],
    ]
    letters, events, public = io.StringIO(), io.StringIO(), io.StringIO()
    with connection.cursor() as cursor:
        for index in range(LETTERS):
            year, sequence = 2020 + index // per_year, index % per_year + 1
            number = RegistrationNumber(year, sequence)
            received = dt.date(year, 1, 1) + dt.timedelta(days=(sequence * 365) // per_year)
            name = person(rng)
            operator = rng.choice(["50", "51", "55", "70", "77"])
            phone = f"+994 {operator} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            email = f"user{index}@example.az" if index % 3 == 0 else ""
            executor = rng.choice(executors)
            department = next(d for d in departments if d.pk == executor.department_id)
            path = rng.choice(paths)
            status = path[-1] if path else "registered"
            moment = dt.datetime.combine(received, dt.time(9), tzinfo=dt.UTC)
            timeline, previous = (
                [
                    _Row(
                        occurred_at=moment, kind="registration", to_status="registered", department=None, public_note=""
                    )
                ],
                "",
            )
            for step in path:
                moment += dt.timedelta(days=2)
                kind = "assignment" if step == "assigned" else "status"
                timeline.append(
                    _Row(
                        occurred_at=moment,
                        kind=kind,
                        to_status=step,
                        department=department,
                        public_note="Baxılır" if step == "in_progress" else "",
                    )
                )
            letter = _Row(
                registration_number=number.canonical,
                kind="letter",
                received_on=received,
                status=status,
                department=department if path else None,
                executor=executor if path else None,
                forwarded_to="",
                due_date=received + dt.timedelta(days=21),
                original_due_date=None,
                needs_additional_study=False,
                closed_on=None,
                updated_at=min(moment, now),
            )
            letter_id = index + 1
            row = [
                letter_id,
                number.canonical,
                year,
                sequence,
                "letter",
                "post",
                received.isoformat(),
                "Sınaq",
                name,
                email,
                phone,
                name_key(name),
                phone_key(phone),
                phone_tail(phone),
                "az",
                department.pk if path else r"\N",
                executor.pk if path else r"\N",
                status,
                "f",
                letter.due_date.isoformat(),
                now.isoformat(),
                letter.updated_at.isoformat(),
                "",
                "",
                "",
                "",
                "f",
                (received + dt.timedelta(days=5)).isoformat(),
                (received + dt.timedelta(days=7)).isoformat(),
                "",
                "post" if status == "answered" else "",
                "",
                "",
            ]
            letters.write("\t".join(str(value) for value in row) + "\n")
            for event in timeline:
                events.write(
                    "\t".join(
                        str(value)
                        for value in (
                            letter_id,
                            event.occurred_at.isoformat(),
                            event.kind,
                            previous,
                            event.to_status,
                            event.department.pk if event.department else r"\N",
                            event.public_note,
                            "",
                        )
                    )
                    + "\n"
                )
                previous = event.to_status
            data = json.dumps(publicview.build(letter, timeline), ensure_ascii=False)
            public.write(f"{letter_id}\t{number.canonical}\t{_copy_text(data)}\n")
            if index % 100_000 == 99_999 or index == LETTERS - 1:
                _copy(cursor, "appeals_letter", columns, letters)
                _copy(cursor, "appeals_statusevent", event_columns, events)
                _copy(cursor, "appeals_publicletter", ["letter_id", "registration_number", "data"], public)
                letters, events, public = io.StringIO(), io.StringIO(), io.StringIO()
                print(f"  {index + 1:,}", flush=True)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('appeals_letter', 'id'), (SELECT max(id) FROM appeals_letter))"
        )
        for table in ("appeals_letter", "appeals_statusevent", "appeals_publicletter"):
            cursor.execute(f"ANALYZE {table}")
    print(f"generated in {time.perf_counter() - started:.0f} s")


def _copy_text(value: str) -> str:
    """Escape a value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def sample_queries() -> dict[str, str]:
    letter = Letter.objects.filter(registration_sequence=per_year_middle()).first()
    with_email = Letter.objects.exclude(applicant_email="").filter(pk__gt=letter.pk).first()
    digits = letter.applicant_phone_key
    return {
        "number": letter.registration_number,
        "phone (+994 …)": f"+994 {digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}",
        "phone (0… with dashes)": f"0{digits[:2]}-{digits[2:5]}-{digits[5:7]}-{digits[7:]}",
        "phone (last 7 digits, no code)": f"{digits[2:5]}-{digits[5:7]}-{digits[7:]}",
        "e-mail": with_email.applicant_email.upper(),
    }


VARIED = int(os.environ.get("BENCH_VARIED_NAMES", "300"))
# How a passport writes Azerbaijani letters: half the varied queries are typed this way.
PASSPORT = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ğ": "gh",
        "x": "kh",
        "X": "Kh",
        "ı": "i",
        "İ": "I",
        "ü": "u",
        "Ü": "U",
        "ö": "o",
        "Ö": "O",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
    }
)


def varied_names() -> list[str]:
    """VARIED applicants drawn at random from the whole table, each asked for once by surname
    and first name as a caller says them, every other one in its passport spelling: what
    operators do, not one name asked again and again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_name FROM appeals_letter ORDER BY random() LIMIT %s", [VARIED])
        names = [row[0] for row in cursor.fetchall()]
    queries = [" ".join(name.split()[:2]) for name in names]
    return [query.translate(PASSPORT) if index % 2 else query for index, query in enumerate(queries)]


def once_each(run, inputs: list[str]) -> list[float]:
    """Milliseconds of ``run`` for each input, once each (after a warm-up on a tenth of them)."""
    for text in inputs[: len(inputs) // 10]:
        run(text)
    timings = []
    for text in inputs:
        started = time.perf_counter()
        run(text)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def per_year_middle() -> int:
    return LETTERS // 14


def measure(run) -> list[float]:
    timings = []
    for attempt in range(REPEAT + 3):
        started = time.perf_counter()
        run()
        if attempt >= 3:  # warm-up runs are not counted
            timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def summary(timings: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    generate()
    samples = sample_queries()
    client = client_in_role("bench-operator", Role.CALL_CENTRE_OPERATOR)
    varied = varied_names()
    rows = [len(search_letters(classify(text))[:21]) for text in varied]
    results = [
        {
            "search": f"names drawn at random from the whole table, once each ({len(varied)}; every other "
            "in its passport spelling)",
            "query": " · ".join(varied[:3]) + " …",
            "first_page_rows": round(statistics.median(rows)),
            "search_only": summary(once_each(lambda t: list(search_letters(classify(t))[:21]), varied)),
            "whole_page": summary(once_each(lambda t: client.get("/az/callcentre/", {"q": t}), varied)),
        }
    ]
    for label, text in SEARCHES:
        text = text or samples[label]
        query = classify(text)
        found = len(search_letters(query)[:21])
        page = client.get("/az/callcentre/", {"q": text})
        assert page.status_code == 200, page.status_code
        results.append(
            {
                "search": label,
                "query": text,
                "first_page_rows": found,
                "search_only": summary(measure(lambda q=query: list(search_letters(q)[:21]))),
                "whole_page": summary(measure(lambda t=text: client.get("/az/callcentre/", {"q": t}))),
            }
        )
    report = {
        "letters": Letter.objects.count(),
        "repeat": REPEAT,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "postgresql": connection.cursor().connection.server_version,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "results": results,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{report['letters']:,} letters, {REPEAT} runs each; milliseconds, median / p95")
    print("| search | query | rows | search (ORM) | whole page (view, template, log insert) |")
    print("|---|---|---|---|---|")
    for r in results:
        orm, page = r["search_only"], r["whole_page"]
        print(
            f"| {r['search']} | `{r['query']}` | {r['first_page_rows']} | {orm['median_ms']} / {orm['p95_ms']} "
            f"| {page['median_ms']} / {page['p95_ms']} |"
        )
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
