"""python manage.py run_worker [db_worker options]: the background worker (notices, imports).

First it puts back what a worker killed mid-task left behind (notices whose try is overdue are
queued again; each is still sent once) and deletes unconfirmed "notify me" requests past their
time; then it runs django-tasks-db's own worker, which keeps polling the queue."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from appeals import notifications, subscriptions


class Command(BaseCommand):
    help = "Run the background worker: resume stalled notices, then django-tasks-db's db_worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument(
            "--queue-name",
            default="*",
            help="the queues to run, comma-separated: notices, imports, default (default: all)",
        )

    def handle(self, *args, batch: bool, interval: float, queue_name: str, **options) -> None:
        resumed = notifications.resume_stalled()
        purged = subscriptions.purge_expired()
        if resumed or purged:
            self.stdout.write(f"{resumed} stalled notices queued again; {purged} expired requests deleted.")
        arguments = ["--queue-name", queue_name, "--interval", str(interval)]
        call_command("db_worker", *arguments, *(["--batch"] if batch else []), verbosity=options["verbosity"])
