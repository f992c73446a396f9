"""E-mails to applicants (regulation 1.2): the acknowledgement with the registration number,
and a short note on each status change. Sent after the change commits, in the applicant's
language; a mail server that is down never undoes or fails a staff member's save, and every
attempt is recorded on the letter with its result."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Letter, Notification, NotificationKind, StatusEvent

logger = logging.getLogger(__name__)

TEMPLATES = {
    NotificationKind.ACKNOWLEDGEMENT: "emails/acknowledgement",
    NotificationKind.STATUS_UPDATE: "emails/status_update",
}


def send_after_commit(*, letter_id: int, kind: NotificationKind, event_id: int | None = None) -> None:
    transaction.on_commit(lambda: deliver(letter_id=letter_id, kind=kind, event_id=event_id))


def tracking_url(letter: Letter) -> str:
    query = urlencode({"number": letter.registration_number})
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{letter.applicant_language}/track/?{query}"


def _subject(kind: NotificationKind, letter: Letter) -> str:
    if kind == NotificationKind.ACKNOWLEDGEMENT:
        return _("Your appeal is registered under number %(number)s") % {"number": letter.registration_number}
    return _("The status of your appeal %(number)s has changed") % {"number": letter.registration_number}


def build_message(*, letter: Letter, kind: NotificationKind, event: StatusEvent | None) -> EmailMultiAlternatives:
    """The e-mail, plain text and HTML, in the applicant's language."""
    with translation.override(letter.applicant_language):
        context = {"letter": letter, "event": event, "tracking_url": tracking_url(letter)}
        text = render_to_string(f"{TEMPLATES[kind]}.txt", context)
        html = render_to_string(f"{TEMPLATES[kind]}.html", context)
        message = EmailMultiAlternatives(
            subject=_subject(kind, letter),
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[letter.applicant_email],
        )
    message.attach_alternative(html, "text/html")
    return message


def deliver(*, letter_id: int, kind: NotificationKind, event_id: int | None = None) -> Notification | None:
    """Send one notification and record the result. Never raises."""
    try:
        letter = Letter.objects.select_related("department", "executor").get(pk=letter_id)
        event = StatusEvent.objects.filter(pk=event_id).first() if event_id else None
        record = Notification(
            letter=letter, event=event, kind=kind, recipient=letter.applicant_email, language=letter.applicant_language
        )
        try:
            build_message(letter=letter, kind=kind, event=event).send()
            record.delivered = True
        except Exception as error:  # the mail server or the address: record it, do not fail the save
            logger.warning("notification to letter %s failed: %s", letter_id, error)
            record.error = f"{type(error).__name__}: {error}"[:1000]
        record.save()
        return record
    except Exception:  # even recording failed (e.g. the database went away): log and move on
        logger.exception("could not record the notification for letter %s", letter_id)
        return None
