"""python manage.py check_calendar: while this year's or (from 1 November) next year's holiday
calendar is not confirmed, e-mail the administrators who keep it. Meant for a daily cron beside
send_overdue_alerts; it sends nothing once the years are confirmed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appeals.models import unconfirmed_years


def calendar_keepers():
    """Active users who may confirm a calendar year, with an e-mail address."""
    users = get_user_model().objects.with_perm(
        "appeals.change_calendaryear", include_superusers=True, backend="django.contrib.auth.backends.ModelBackend"
    )
    return users.filter(is_active=True).exclude(email="")


class Command(BaseCommand):
    help = "E-mail administrators while a year's holiday calendar is missing or not confirmed (daily)."

    def handle(self, *args, **options) -> None:
        years = unconfirmed_years(timezone.localdate())
        if not years:
            self.stdout.write("Every year needed is confirmed; nothing sent.")
            return
        recipients = sorted({user.email for user in calendar_keepers()})
        with translation.override(settings.LANGUAGE_CODE):
            listed = ", ".join(str(year) for year in years)
            send_mail(
                subject=_("The holiday calendar of %(years)s is not confirmed") % {"years": listed},
                message=_(
                    "The holiday calendar of %(years)s is not confirmed. Due dates that end there are shown to "
                    "staff and citizens as “to be confirmed”. Enter the Cabinet of Ministers' decision in the "
                    "admin (Calendar years) and confirm the year: %(url)s"
                )
                % {
                    "years": listed,
                    "url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("admin:appeals_calendaryear_changelist"),
                },
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        self.stdout.write(f"Unconfirmed: {listed}; warned {len(recipients)} administrators.")
