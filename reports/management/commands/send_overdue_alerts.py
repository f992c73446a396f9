"""python manage.py send_overdue_alerts: e-mail each department head the letters of their
department that are overdue or due within 3 working days, in the head's language.
Meant for a daily cron; a second run the same day sends nothing new."""

from django.core.management.base import BaseCommand

from reports.alerts import send_overdue_alerts


class Command(BaseCommand):
    help = "E-mail department heads their overdue and soon-due letters (once a day)."

    def handle(self, *args, **options) -> None:
        sent, skipped = send_overdue_alerts()
        self.stdout.write(f"{sent} alerts sent, {skipped} heads already alerted today or with nothing due.")
