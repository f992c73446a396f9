"""python manage.py run_worker [--queue-name …] [--batch]: the background worker (notices, imports).

First it tidies what a killed worker may have left (appeals/upkeep.py: notices whose try is
overdue are queued again, each still sent once; expired "notify me" requests lose their
contact; imports left running are failed) and makes sure that tidying comes back every five
minutes; then it runs django-tasks-db's own worker, which keeps polling the queue."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from appeals import upkeep


class Command(BaseCommand):
    help = "Run the background worker: tidy up, then django-tasks-db's db_worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument(
            "--queue-name",
            default="*",
            help="the queues to run, comma-separated: notices, imports, default (default: all)",
        )

    def handle(self, *args, batch: bool, interval: float, queue_name: str, **options) -> None:
        done = upkeep.tidy()
        if any(done.values()):
            self.stdout.write("; ".join(f"{count} {what}" for what, count in done.items()))
        if not batch:
            upkeep.ensure_sweeping()
        # No autoreload (db_worker's default under DEBUG): a reloader child would outlive `make run`.
        arguments = ["--queue-name", queue_name, "--interval", str(interval), "--no-reload"]
        call_command("db_worker", *arguments, *(["--batch"] if batch else []), verbosity=options["verbosity"])
