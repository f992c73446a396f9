"""Writing the lookup log (regulation 3.5.1: every request made to the service is recorded, and
so is the result given): one row per lookup, always.

With ``LOOKUP_LOG_FLUSH_SECONDS`` at 0 (tests and development) each row is inserted at once, in
the caller's connection and transaction. Above 0 (production's processes) a lookup only hands
its row to its process's writer thread, which inserts what it holds in one transaction every
``LOOKUP_LOG_FLUSH_SECONDS``, or sooner once ``LOOKUP_LOG_BATCH`` rows wait: the busiest path of
the portal then costs a list append instead of a round trip and a commit per request, and the
rows reach the table within the interval.

- While the database is away the writer keeps the rows and retries; once
  ``LOOKUP_LOG_HOLD_LIMIT`` rows wait, a lookup writes its row itself again, so it fails (503)
  rather than go unrecorded.
- A process that stops writes what it holds first (gunicorn's ``worker_exit`` hook, ``atexit``
  for anything else), retrying for a few seconds. What it still cannot write goes to a file in
  ``LOOKUP_LOG_SPOOL_DIR``, which the writer of any later process on the machine puts in the
  table; if even that fails, the rows are written into the error log line itself.
- A row the table refuses (a reference to something deleted meanwhile) is written without its
  references, and one that still fails is logged and set aside, so it cannot block the others.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import DataError, IntegrityError, close_old_connections, connection, transaction

from .models import LookupLog

logger = logging.getLogger(__name__)

COLUMNS = ("occurred_at", "channel", "number", "outcome", "language", "client_hash", "letter_id", "api_client_id")
_ROWS_PER_STATEMENT = 500
_INSERT = f"INSERT INTO {LookupLog._meta.db_table} ({', '.join(COLUMNS)}) VALUES "
_ONE_ROW = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
_EXIT_RETRY_SECONDS = 5.0

Row = Sequence[object]


def row_of(entry: LookupLog) -> tuple:
    """An unsaved LookupLog as the values of a row, in COLUMNS order."""
    return (connection.ops.adapt_datetimefield_value(entry.occurred_at), *(getattr(entry, c) for c in COLUMNS[1:]))


def insert_rows(rows: Sequence[Row]) -> None:
    """Insert rows (values in COLUMNS order) with one statement per 500."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            cursor.execute(_INSERT + ", ".join([_ONE_ROW] * len(chunk)), [value for row in chunk for value in row])


def write_batch(rows: Sequence[Row]) -> None:
    """All the rows in one transaction (a failure leaves none behind, so a retry never doubles
    any); if the table refuses one of them, row by row, each in a savepoint of one transaction
    (so even then a failure leaves none behind), as well as each row can be written."""
    try:
        with transaction.atomic():
            insert_rows(rows)
    except (IntegrityError, DataError):
        with transaction.atomic():
            if connection.vendor == "postgresql":  # a bad reference fails at its row, not at commit
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for row in rows:
                _write_refused_row(row)


def _write_refused_row(row: Row) -> None:
    for attempt in (row, (*row[:6], None, None)):  # then without its letter and API client
        try:
            with transaction.atomic():
                insert_rows([attempt])
            return
        except (IntegrityError, DataError):
            continue
    logger.error("lookup log: a row the table refuses, set aside: %s", _as_json([row]))


def _as_json(rows: Sequence[Row]) -> str:
    """The rows as JSON, times as ISO text (which PostgreSQL and SQLite both take back)."""
    return json.dumps([list(row) for row in rows], default=lambda value: value.isoformat())


class LookupBuffer:
    """Rows waiting for the writer thread of this process. ``write`` receives a list of rows
    and raises if they were not written; they are then kept and tried again."""

    def __init__(
        self,
        write: Callable[[list[Row]], None],
        *,
        seconds: float,
        batch: int,
        hold_limit: int,
        spool_dir: Path | None = None,
    ) -> None:
        self.write = write
        self.seconds = seconds
        self.batch = batch
        self.hold_limit = hold_limit
        self.spool_dir = spool_dir
        self._reset()

    def _reset(self) -> None:
        self._rows: list[Row] = []
        self._lock = threading.Lock()  # guards _rows
        self._flushing = threading.Lock()  # one flush at a time, so rows keep their order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False
        self._in_flight: list[Row] = []  # taken by a flush that has not finished

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: Row) -> bool:
        """Hold ``row`` for the writer; False when too many rows already wait (the caller then
        writes it itself)."""
        with self._lock:
            if len(self._rows) >= self.hold_limit:
                return False
            self._rows.append(row)
            full = len(self._rows) >= self.batch
        self._start_writer()
        if full:
            self._wake.set()
        return True

    def flush(self) -> int:
        """Write every held row now; returns how many were written (0 if the write failed)."""
        with self._flushing:
            return self._flush()

    def _flush(self) -> int:
        with self._lock:
            rows, self._rows = self._rows, []
            self._in_flight = rows
        if not rows:
            return 0
        try:
            self.write(rows)
        except Exception:
            with self._lock:
                self._rows[:0] = rows
                self._in_flight = []
            if not self._failing:  # once per outage, not twice a second
                logger.exception("lookup log: %d rows not written yet; holding them and retrying", len(rows))
            self._failing = True
            return 0
        with self._lock:
            self._in_flight = []
        if self._failing:
            logger.warning("lookup log: the held rows are written again (%d)", len(rows))
        self._failing = False
        return len(rows)

    def close(self, retry_seconds: float = _EXIT_RETRY_SECONDS) -> None:
        """The process stops: write what is held, retrying for a while, then spool the rest."""
        deadline = time.monotonic() + retry_seconds
        got_lock = self._flushing.acquire(timeout=retry_seconds)
        try:
            while got_lock and self._rows and not self._flush() and time.monotonic() < deadline:
                time.sleep(0.25)
            with self._lock:
                # Without the lock the writer is stuck in a write: its rows are spooled too (if
                # that write still lands before the process ends, they will be in twice).
                rows = ([] if got_lock else self._in_flight) + self._rows
                self._rows = []
            if rows:
                self._spool(rows)
        finally:
            if got_lock:
                self._flushing.release()

    def _spool(self, rows: list[Row]) -> None:
        try:
            if self.spool_dir is None:
                raise OSError("no LOOKUP_LOG_SPOOL_DIR")
            self.spool_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self.spool_dir / f"lookups-{time.time_ns()}-{os.getpid()}.json"
            partial = path.with_suffix(".partial")
            with partial.open("w") as file:
                file.write(_as_json(rows))
                file.flush()
                os.fsync(file.fileno())
            partial.rename(path)  # whole, or not there
        except OSError:
            logger.exception("lookup log: %d rows could not be written nor spooled: %s", len(rows), _as_json(rows))
            return
        logger.error("lookup log: %d rows could not be written; spooled to %s for the next process", len(rows), path)

    def replay_spool(self) -> int:
        """Write the rows stopped processes spooled, oldest first. Each file is claimed by
        renaming it; a claim whose process has died is taken back; an unreadable file is put
        aside as .bad. (A process that dies between writing a file's rows and deleting it
        leaves them to be written twice: the one window where a row can be doubled.)"""
        if self.spool_dir is None or not self.spool_dir.is_dir():
            return 0
        with self._flushing:
            self._take_back_dead_claims()
            written = 0
            for path in sorted(self.spool_dir.glob("lookups-*.json")):
                claimed = path.with_suffix(f".{_claimant()}.claimed")
                try:
                    path.rename(claimed)
                except OSError:
                    continue  # another process took it
                try:
                    rows = json.loads(claimed.read_text())  # times as ISO text: both databases take it
                except (OSError, ValueError):
                    claimed.rename(path.with_suffix(".bad"))
                    logger.error("lookup log: unreadable spool file set aside as %s", path.with_suffix(".bad"))
                    continue
                try:
                    self.write(rows)
                except Exception:
                    claimed.rename(path)  # for the next attempt
                    return written
                claimed.unlink()
                written += len(rows)
                logger.warning("lookup log: %d spooled rows written from %s", len(rows), path.name)
            return written

    def _take_back_dead_claims(self) -> None:
        """Claims of this machine's processes that have died (replicas sharing the folder
        each judge only their own: a process number means nothing on another machine)."""
        for claimed in self.spool_dir.glob("lookups-*.claimed"):
            host, _, pid = claimed.suffixes[-2].lstrip(".").rpartition("_")
            if host == _HOST and int(pid) != os.getpid() and not _alive(int(pid)):
                claimed.rename(claimed.with_suffix("").with_suffix(".json"))

    def forget_after_fork(self) -> None:
        """In a forked child: the rows and the thread belong to the parent, which writes them."""
        self._reset()

    def _start_writer(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="lookup-log-writer", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.seconds)
            self._wake.clear()
            try:
                if self.flush() or not self._failing:
                    self.replay_spool()
            except Exception:  # never let the writer die; the next round tries again
                logger.exception("lookup log: writer round failed")


_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())


def _claimant() -> str:
    return f"{_HOST}_{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_from_writer_thread(rows: list[Row]) -> None:
    """The writer thread's own connection gets the housekeeping a request would give it (age,
    health check); after an error it is closed, and the next round opens a new one."""
    close_old_connections()
    try:
        write_batch(rows)
    except Exception:
        connection.close()
        raise


_buffer: LookupBuffer | None = None


def buffer() -> LookupBuffer | None:
    """This process's buffer, or None when rows are written at once."""
    global _buffer
    if settings.LOOKUP_LOG_FLUSH_SECONDS <= 0:
        return None
    if _buffer is None:
        _buffer = LookupBuffer(
            _write_from_writer_thread,
            seconds=settings.LOOKUP_LOG_FLUSH_SECONDS,
            batch=settings.LOOKUP_LOG_BATCH,
            hold_limit=settings.LOOKUP_LOG_HOLD_LIMIT,
            spool_dir=Path(settings.LOOKUP_LOG_SPOOL_DIR) if settings.LOOKUP_LOG_SPOOL_DIR else None,
        )
    return _buffer


def record(row: Row) -> None:
    """Record one lookup's row: held for the writer thread, or inserted now."""
    held = buffer()
    if held is None or not held.add(row):
        insert_rows([row])


def flush() -> None:
    """The process stops: write what it holds (gunicorn's worker_exit, and atexit)."""
    if _buffer is not None:
        _buffer.close()


def _forget_after_fork() -> None:
    if _buffer is not None:
        _buffer.forget_after_fork()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(flush)
