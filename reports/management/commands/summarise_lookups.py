"""python manage.py summarise_lookups [--days N]: sum up the lookup log of finished days.
Meant for a nightly cron; running it twice, or over days already summed up, is harmless."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reports.queries import summarise_lookups


class Command(BaseCommand):
    help = "Summarise the lookup log per day, channel and outcome (finished days only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=2, help="how many finished days back (default 2)")

    def handle(self, *args, days: int, **options) -> None:
        today = timezone.localdate()
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            with transaction.atomic():
                rows = summarise_lookups(day)
            self.stdout.write(f"{day}: {rows} summary rows")
