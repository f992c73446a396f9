"""The admin's registry upload, run by the imports worker: a 100,000-row file takes about a
minute, longer than a web request may. ``start_import`` keeps the file and queues the task in
one transaction; ``run_import_job`` runs ``import_letters`` on it, reports its progress on the
job's row, and leaves the summary there for the admin's progress page."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from web.background import task

from ..models import ImportJob, ImportState
from . import ImportFileError, ImportResult, import_letters

logger = logging.getLogger(__name__)

# The progress page is refreshed every 2 s; a write per check batch (5,000 rows) is plenty.
PROGRESS_EVERY_ROWS = 1000
# The page lists the first 200 numbers assigned; the summary keeps this many and their count.
MAX_ASSIGNED_KEPT = 1000


def start_import(*, upload, dry_run: bool, actor) -> ImportJob:
    """Keep the uploaded file in the database (the app's replicas share no disk) and queue its
    import; the job and its task are committed together or not at all."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=b"".join(upload.chunks()),
            file_name=(upload.name or "")[:255],
            dry_run=dry_run,
            created_by=actor,
        )
        run_import_job.enqueue(job.pk, translation.get_language())
    return job


@task(queue_name="imports")
def run_import_job(job_id: int, language: str | None = None) -> None:
    """Import the job's file, in the language of whoever uploaded it (the row errors are
    sentences). The job ends done or failed, never stays running because of an exception;
    either way its file is dropped and only the summary stays."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # already run (a task delivered twice) or gone
        return
    job = ImportJob.objects.select_related("created_by").defer("file").get(pk=job_id)
    progress = _Progress(job_id)
    language = language or settings.LANGUAGE_CODE
    try:
        with translation.override(language), tempfile.NamedTemporaryFile(suffix=".csv") as stored:
            stored.write(ImportJob.objects.filter(pk=job_id).values_list("file", flat=True).get())
            stored.flush()
            result = import_letters(path=stored.name, dry_run=job.dry_run, actor=job.created_by, progress=progress)
    except ImportFileError as error:
        _finish(job_id, ImportState.FAILED, {"message": str(error)})
    except Exception:
        logger.exception("registry import %s failed", job_id)
        with translation.override(language):
            message = _("The import stopped on an unexpected error; nothing was imported. Tell an administrator.")
        _finish(job_id, ImportState.FAILED, {"message": message})
    else:
        _finish(
            job_id,
            ImportState.DONE,
            summary(result),
            rows_checked=result.rows,
            rows_written=progress.written if result.ok and not result.dry_run else 0,
        )


class _Progress:
    """import_letters's progress callback. The check ("checked") runs outside any transaction,
    so its counts reach the page as they come. The write ("imported") runs inside the import's
    own transaction: a count written there would stay invisible until the end (and vanish with
    a dry run's rollback), so it is only remembered. While the letters are written the page
    therefore shows the whole file checked and says the summary follows; then the summary."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stage = ""
        self.saved_rows = 0
        self.written = 0

    def __call__(self, stage: str, rows: int) -> None:
        if stage == "imported":
            self.written = rows
            return
        if stage != self.stage or rows - self.saved_rows >= PROGRESS_EVERY_ROWS:
            ImportJob.objects.filter(pk=self.job_id).update(stage=stage, rows_checked=rows)
            self.stage, self.saved_rows = stage, rows


def summary(result: ImportResult) -> dict:
    """What the progress page shows of a finished import, under ImportResult's own names."""
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "error_count": result.error_count,
        "errors": result.errors,  # already at most MAX_ERRORS_KEPT
        "assigned_count": len(result.assigned),
        "assigned": result.assigned[:MAX_ASSIGNED_KEPT],
    }


def _finish(job_id: int, state: ImportState, outcome: dict, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        state=state, finished_at=timezone.now(), outcome=outcome, file=None, **fields
    )


def fail_abandoned(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Jobs a killed worker left running (a 100,000-row file takes about a minute): failed,
    with their file dropped, so the page stops waiting. Returns how many."""
    stale = ImportJob.objects.filter(state=ImportState.RUNNING, started_at__lt=timezone.now() - older_than)
    with translation.override(settings.LANGUAGE_CODE):
        message = _("The import stopped on an unexpected error; nothing was imported. Tell an administrator.")
    return stale.update(state=ImportState.FAILED, finished_at=timezone.now(), outcome={"message": message}, file=None)
