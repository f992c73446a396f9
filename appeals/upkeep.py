"""The background worker's own upkeep, every few minutes while a worker runs: notices whose
task was lost with a killed worker are queued again, unconfirmed "notify me" requests past
their time lose their contact, and imports a killed worker left running are failed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from web.background import task

from . import notifications
from .imports import jobs

EVERY = dt.timedelta(minutes=5)


def tidy() -> dict[str, int]:
    return {
        "notices resumed": notifications.resume_stalled(),
        "requests expired": notifications.expire_requests(),
        "imports abandoned": jobs.fail_abandoned(),
    }


@task(queue_name="default")
def sweep() -> dict[str, int]:
    """Tidy up, then come back in five minutes (one chain: ``ensure_sweeping``)."""
    done = tidy()
    with transaction.atomic():
        sweep.using(run_after=timezone.now() + EVERY).enqueue()
    return done


def ensure_sweeping() -> bool:
    """Start the sweep's chain unless one is already waiting or running. Returns whether it
    started one (two workers starting at once may start two: each sweep is harmless twice)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=sweep.module_path, status__in=["READY", "RUNNING"])
    if waiting.exists():
        return False
    sweep.enqueue()
    return True
