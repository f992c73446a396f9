"""Run the background tasks waiting in the database, as ``manage.py run_worker`` does, here and now."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_tasks() -> None:
    """Run every task that is due, with django-tasks-db's own worker, until none is left. The
    worker closes stale connections between tasks; inside a test's transaction that would end
    the test's connection, so that one call is switched off here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", queue_name="*", batch=True, interval=0, startup_delay=False, verbosity=0)
