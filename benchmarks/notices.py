"""Notices: what they cost a staff member's save, and how fast the worker sends them.

    make bench   # or: DATABASE_URL=postgres://…/dgk_bench_notices .venv/bin/python benchmarks/notices.py

On its own database: letters whose applicants gave an e-mail and a mobile, each followed by
two subscribers. A status change (the executor starting work) is timed with its notices
(4 rows and one task written in the same transaction) and without (``notify=False``, what the
save cost before notices existed); then ``manage.py run_worker --batch`` sends everything
queued (locmem backends: the worker's own cost, not a mail server's). Also the save with a
dead SMS gateway, to show that the gateway never reaches the request.

Writes benchmarks/results/notices.json.
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
os.environ.setdefault("SMS_URL", "locmem://")
os.environ.setdefault("EMAIL_URL", "dummymail://")
from benchmarks._django import RESULTS, setup

setup("dgk_bench_notices")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from appeals import services  # noqa: E402
from appeals.models import Department, Executor, Letter, Notification, Subscription  # noqa: E402
from appeals.statuses import Status  # noqa: E402

LETTERS = int(os.environ.get("BENCH_LETTERS", "300"))


def letters(count: int, department, executor) -> list[Letter]:
    made = []
    for n in range(count):
        letter = services.register_letter(
            received_on=dt.date.today(),
            kind="request",
            channel="post",
            subject="Gömrük rüsumu",
            applicant_name=f"Məmmədov Əli {n}",
            applicant_email=f"applicant{n}@example.az",
            applicant_phone=f"050 {n % 1000:03d} {n // 1000 % 100:02d} 00",
            executor=executor,
            department=department,
            notify=False,
        )
        Subscription.objects.bulk_create(
            Subscription(
                letter=letter,
                channel=channel,
                contact=contact,
                contact_digest=f"{n}-{channel}",
                client_digest="bench",
                expires_at=letter.created_at,
                state=Subscription.State.ACTIVE,
            )
            for channel, contact in (("email", f"follower{n}@example.az"), ("sms", "+994552223344"))
        )
        made.append(letter)
    return made


def timed_changes(batch: list[Letter], **options) -> list[float]:
    times = []
    for letter in batch:
        started = time.perf_counter()
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS, **options)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "n": len(times),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    Notification.objects.all().delete()
    Subscription.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    department, _ = Department.objects.get_or_create(code="BN", defaults={"name_az": "Bildiriş bölməsi"})
    executor, _ = Executor.objects.get_or_create(
        department=department, full_name="Həsənov Rəşad", defaults={"phone": "+994 12 404 22 21"}
    )
    made = letters(LETTERS * 3, department, executor)
    quiet, noisy, dead = made[:LETTERS], made[LETTERS : 2 * LETTERS], made[2 * LETTERS :]
    without = timed_changes(quiet, notify=False)
    with_notices = timed_changes(noisy)
    with override_settings(SMS_URL="http://127.0.0.1:9/send"):
        with_dead_gateway = timed_changes(dead)
    queued = Notification.objects.filter(state="queued").count()
    DBTaskResult.objects.exclude(task_path="appeals.notifications.deliver_notices").delete()
    Notification.objects.filter(letter__in=dead).delete()  # their tasks find nothing: not timed as sends
    to_send = Notification.objects.filter(state="queued").count()
    started = time.perf_counter()
    call_command("run_worker", "--batch", "--queue-name", "notices", verbosity=0)
    worker_seconds = time.perf_counter() - started
    sent = Notification.objects.filter(state="sent").count()
    report = {
        "database": connection.vendor,
        "letters_changed": LETTERS,
        "recipients_per_change": 4,
        "status_change_without_notices": summary(without),
        "status_change_with_notices": summary(with_notices),
        "status_change_with_notices_dead_sms_gateway": summary(with_dead_gateway),
        "notices_queued": queued,
        "notices_sent_by_worker": sent,
        "of_which_were_due": to_send,
        "worker_seconds": round(worker_seconds, 2),
        "notices_per_second": round(sent / worker_seconds, 1) if worker_seconds else None,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "notices.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
