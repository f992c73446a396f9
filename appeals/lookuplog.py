"""Writing the lookup log (regulation 3.5.1: every request made to the service is recorded, and
so is the result given): one row per lookup, always.

With ``LOOKUP_LOG_FLUSH_SECONDS`` at 0 (tests, commands, development) each row is inserted at
once, in the caller's connection and transaction. Above 0 (production's web processes) a
lookup only hands its row to its process's writer thread, which inserts what it holds in one
statement every ``LOOKUP_LOG_FLUSH_SECONDS``, or sooner once ``LOOKUP_LOG_BATCH`` rows wait:
the busiest path of the portal then costs a list append instead of a round trip and a commit
per request, and the rows reach the table within the interval. A process that stops writes
what it holds first (gunicorn's ``worker_exit`` hook, and ``atexit`` for anything else). While
the database is away the writer keeps the rows and retries; once ``LOOKUP_LOG_HOLD_LIMIT`` rows
wait, a lookup writes its row itself again, so it fails (503) rather than go unrecorded.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connection

from .models import LookupLog

logger = logging.getLogger(__name__)

COLUMNS = ("occurred_at", "channel", "number", "outcome", "language", "client_hash", "letter_id", "api_client_id")
_ROWS_PER_STATEMENT = 500
_INSERT = f"INSERT INTO {LookupLog._meta.db_table} ({', '.join(COLUMNS)}) VALUES "
_ONE_ROW = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"

Row = Sequence[object]


def insert_rows(rows: Sequence[Row]) -> None:
    """Insert rows (values in COLUMNS order) with one statement per 500."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            cursor.execute(_INSERT + ", ".join([_ONE_ROW] * len(chunk)), [value for row in chunk for value in row])


class LookupBuffer:
    """Rows waiting for the writer thread of this process. ``write`` receives a list of rows
    and raises if they were not written; they are then kept and tried again."""

    def __init__(self, write: Callable[[list[Row]], None], *, seconds: float, batch: int, hold_limit: int) -> None:
        self.write = write
        self.seconds = seconds
        self.batch = batch
        self.hold_limit = hold_limit
        self._rows: list[Row] = []
        self._lock = threading.Lock()  # guards _rows
        self._flushing = threading.Lock()  # one flush at a time, so rows keep their order
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

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
            with self._lock:
                rows, self._rows = self._rows, []
            if not rows:
                return 0
            try:
                self.write(rows)
            except Exception:
                with self._lock:
                    self._rows[:0] = rows
                if not self._failing:  # once per outage, not twice a second
                    logger.exception("lookup log: %d rows not written yet; holding them and retrying", len(rows))
                self._failing = True
                return 0
            if self._failing:
                logger.warning("lookup log: the held rows are written again (%d)", len(rows))
            self._failing = False
            return len(rows)

    def forget_after_fork(self) -> None:
        """In a forked child: the rows and the thread belong to the parent, which writes them."""
        self._rows = []
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._thread = None

    def _start_writer(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="lookup-log-writer", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.seconds)
            self._wake.clear()
            self.flush()


def _write_from_writer_thread(rows: list[Row]) -> None:
    """The writer thread has a connection of its own; after an error it opens a new one next time."""
    try:
        insert_rows(rows)
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
        )
    return _buffer


def record(row: Row) -> None:
    """Record one lookup's row: held for the writer thread, or inserted now."""
    held = buffer()
    if held is None or not held.add(row):
        insert_rows([row])


def flush() -> int:
    """Write what this process holds (a stopping worker calls this)."""
    return _buffer.flush() if _buffer is not None else 0


def _forget_after_fork() -> None:
    if _buffer is not None:
        _buffer.forget_after_fork()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(flush)
