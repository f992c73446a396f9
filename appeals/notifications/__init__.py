"""Notices to applicants and subscribers (regulation 1.2; the Law's notices of assignment,
extension and forwarding), by e-mail and SMS, in the background.

``announce`` is called inside the transaction of the change it reports: it writes one
Notification row a recipient and channel, each with its delivery task (django-tasks-db, the
same database), so a rolled-back change sends nothing and a committed one is never forgotten.
The worker's ``deliver`` sends one, with the row locked: a notice already sent is never sent
again; a gateway or mail server that fails is tried again later (1, 5, 25… minutes) and, after
NOTICE_MAX_ATTEMPTS tries, the notice is marked failed with the error. Nothing here runs inside
a staff member's request."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from web.background import task

from ..models import (
    FINAL_KINDS,
    DeliveryState,
    Letter,
    Notification,
    NotificationChannel,
    NotificationKind,
    StatusEvent,
    Subscription,
)
from ..models.notifications import new_key
from ..statuses import FINAL
from . import contacts, secrets, sms, texts

logger = logging.getLogger(__name__)


def applicant_contacts(letter: Letter) -> list[tuple[str, str]]:
    """Where the applicant hears from us: (channel, address), e-mail and an Azerbaijani
    mobile alike, unless they objected."""
    if not letter.applicant_notices:
        return []
    found = []
    if letter.applicant_email:
        found.append((NotificationChannel.EMAIL, letter.applicant_email))
    if phone := contacts.mobile_number(letter.applicant_phone):
        found.append((NotificationChannel.SMS, phone))
    return found


def announce(letter: Letter, kind: str, event: StatusEvent | None = None) -> list[Notification]:
    """Queue notice ``kind`` for the applicant and every confirmed subscriber of ``letter``.
    Call it inside the change's transaction."""
    rows = [
        Notification(
            letter=letter,
            event=event,
            kind=kind,
            channel=channel,
            recipient=address,
            language=letter.applicant_language,
        )
        for channel, address in applicant_contacts(letter)
    ]
    if rows and not letter.notices_key:
        letter.notices_key = new_key()
        Letter.objects.filter(pk=letter.pk).update(notices_key=letter.notices_key)
    rows += [
        Notification(
            letter=letter, event=event, kind=kind, channel=sub.channel, subscription=sub, language=sub.language
        )
        for sub in letter.subscriptions.filter(state=Subscription.State.ACTIVE)
    ]
    for row in rows:
        _compose(row, letter, event)
    return _queue(rows)


def _compose(notification: Notification, letter: Letter, event: StatusEvent | None) -> None:
    """Write the notice as things stand now, in its recipient's language."""
    language = notification.language
    key = notification.subscription.key if notification.subscription else letter.notices_key
    with translation.override(language):
        notice = texts.notice(notification.kind, letter, event)
        if notification.channel == NotificationChannel.SMS:
            notification.body = texts.sms_text(notice, texts.short_url(key))
            return
        context = {
            "notice": notice,
            "language": language,
            "tracking_url": texts.tracking_url(letter.registration_number, language),
            "stop_url": texts.notices_url(key, language),
        }
        notification.subject = notice.subject[:255]
        notification.body = render_to_string("emails/notice.txt", context)
        notification.html = render_to_string("emails/notice.html", context)


def ask_confirmation(subscription: Subscription) -> Notification:
    """Queue the subscriber's confirmation (the link or the code is made at sending time)."""
    row = Notification(
        letter=subscription.letter,
        kind=NotificationKind.CONFIRMATION,
        channel=subscription.channel,
        subscription=subscription,
        language=subscription.language,
    )
    return _queue([row])[0]


def _queue(rows: list[Notification]) -> list[Notification]:
    """Write the notices and one task that sends them: two statements in the change's
    transaction, however many subscribers the letter has."""
    if not rows:
        return rows
    created = Notification.objects.bulk_create(rows)
    deliver_notices.enqueue([row.pk for row in created])
    return created


@task(queue_name="notices")
def deliver_notices(notification_ids: list[int]) -> list[str]:
    """The worker's side of one change's notices: each is sent, or its next try arranged."""
    return [deliver(pk) for pk in notification_ids]


@task(queue_name="notices")
def deliver_notice(notification_id: int, attempt: int = 0) -> str:
    """Try ``notification_id`` again (its ``attempt``-th retry)."""
    return deliver(notification_id, attempt)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 5, 25, 125… minutes (by NOTICE_RETRY_BASE_SECONDS) after the n-th failed try, at most a day."""
    return dt.timedelta(seconds=min(settings.NOTICE_RETRY_BASE_SECONDS * 5 ** (attempts - 1), 86400))


@transaction.atomic
def deliver(notification_id: int, attempt: int = 0) -> str:
    """Send one notice, the ``attempt``-th try after ``attempt`` failures. A task for a try
    that already happened (a duplicate, or one queued again by ``resume_stalled``) does
    nothing: each try happens once, and a notice once sent is never sent again."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("letter", "subscription")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.state != DeliveryState.QUEUED or notification.attempts != attempt:
        return "skipped"  # sent already, or by another worker, or this try is over: never twice
    address = _address(notification)
    if not address:
        notification.state = DeliveryState.CANCELLED
        notification.save(update_fields=["state"])
        return notification.state
    now = timezone.now()
    notification.attempts += 1
    try:
        _send(notification, address)
    except Exception as error:  # the mail server, the gateway, a refused address: try again later
        notification.error = _redacted(error, address)
        logger.warning(
            "notice %s (%s) failed on try %s: %s",
            notification.pk,
            notification.channel,
            notification.attempts,
            notification.error,
        )
        if notification.attempts >= settings.NOTICE_MAX_ATTEMPTS or isinstance(error, sms.SMSRefused):
            notification.state = DeliveryState.FAILED
        else:
            notification.next_attempt_at = now + retry_delay(notification.attempts)
            deliver_notice.using(run_after=notification.next_attempt_at).enqueue(notification.pk, notification.attempts)
    else:
        notification.state, notification.sent_at, notification.error = DeliveryState.SENT, now, ""
    notification.save(
        update_fields=["state", "attempts", "sent_at", "error", "next_attempt_at", "subject", "body", "html"]
    )
    subscription = notification.subscription
    if notification.state != DeliveryState.QUEUED and subscription and notification.kind in FINAL_KINDS:
        end_subscription(subscription)  # the letter closed: nothing more to say
    return notification.state


def _redacted(error: Exception, address: str) -> str:
    """What went wrong, for the letter's page and the log, without the address itself (a mail
    server's refusal quotes it, and a subscriber's contact is for supervisors only)."""
    text = f"{type(error).__name__}: {error}"
    for form in {address, address.lower()}:
        text = text.replace(form, "…")
    return text[:1000]


def _address(notification: Notification) -> str:
    """Where it goes now: the applicant's address (unless they objected since), or the
    subscriber's contact while the subscription lives."""
    subscription = notification.subscription
    if subscription is not None:
        wanted = (
            Subscription.State.PENDING
            if notification.kind == NotificationKind.CONFIRMATION
            else Subscription.State.ACTIVE
        )
        return subscription.contact if subscription.state == wanted else ""
    return notification.recipient if notification.letter.applicant_notices else ""  # unless they objected since


def _send(notification: Notification, address: str) -> None:
    if notification.kind == NotificationKind.CONFIRMATION:
        with translation.override(notification.language):
            _send_confirmation(notification, address)
    elif notification.channel == NotificationChannel.SMS:
        sms.send(to=address, text=notification.body, key=str(notification.key))
    else:
        key = notification.subscription.key if notification.subscription else notification.letter.notices_key
        _email(notification, address, stop_url=texts.notices_url(key, notification.language)).send()


def _send_confirmation(notification: Notification, address: str) -> None:
    """A new secret each try (only its digest is kept): the link by e-mail, a code by SMS."""
    subscription = notification.subscription
    # The same secret on every try: a gateway that took an earlier try (and dedupes by its
    # key) delivered that one.
    secret = secrets.secret_for(subscription, str(notification.key))
    number = notification.letter.registration_number
    if notification.channel == NotificationChannel.SMS:
        sms.send(to=address, text=texts.confirmation_sms(number, secret), key=str(notification.key))
        return
    notice = texts.confirmation(number)
    context = {
        "notice": notice,
        "language": notification.language,
        "confirm_url": f"{texts.notices_url(subscription.key, notification.language)}confirm/?token={secret}",
    }
    notification.subject = notice.subject[:255]
    notification.body = render_to_string("emails/notice.txt", context)
    notification.html = render_to_string("emails/notice.html", context)
    try:
        _email(notification, address).send()
    finally:
        notification.body = notification.html = ""  # the link is a secret: never kept


def _email(notification: Notification, address: str, *, stop_url: str = "") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"Message-ID": f"<{notification.key}@{settings.NOTICE_MESSAGE_ID_DOMAIN}>"},
    )
    if stop_url:
        # One click in the mail program (RFC 8058): it POSTs to the page's stop button.
        message.extra_headers["List-Unsubscribe"] = f"<{stop_url}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach_alternative(notification.html, "text/html")
    return message


def end_subscription(subscription: Subscription) -> None:
    """The subscription is over (unsubscribed, or its letter closed): its contact is deleted."""
    Subscription.objects.filter(pk=subscription.pk).update(**_forgotten(Subscription.State.ENDED))
    subscription.state, subscription.contact = Subscription.State.ENDED, ""


def _forgotten(state: str) -> dict:
    """A subscription's fields once it is over: the contact and every digest of it go."""
    return {
        "state": state,
        "ended_at": timezone.now(),
        "contact": "",
        "contact_digest": "",
        "client_digest": "",
        "secret_digest": "",
    }


def end_closed_subscriptions(letter: Letter | None = None) -> int:
    """Subscriptions of letters that closed without a final notice (the registry import, or
    a change made with ``notify=False``) end too: of ``letter``, or of any. Returns how many."""
    live = Subscription.objects.filter(
        state__in=[Subscription.State.PENDING, Subscription.State.ACTIVE], letter__status__in=FINAL
    )
    return (live.filter(letter=letter) if letter is not None else live).update(**_forgotten(Subscription.State.ENDED))


def expire_requests() -> int:
    """Unconfirmed requests past their time: the contact and its digests are deleted; the
    row stays, so its link can still say "expired". Returns how many."""
    return Subscription.objects.filter(state=Subscription.State.PENDING, expires_at__lte=timezone.now()).update(
        **_forgotten(Subscription.State.EXPIRED)
    )


def resume_stalled(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Queue again the notices whose try is overdue by ``older_than``: their task was lost with
    a worker killed mid-task. A notice queued twice is still sent once (``deliver`` locks it and
    skips one already sent). Returns how many."""
    stalled = list(
        Notification.objects.filter(
            state=DeliveryState.QUEUED, next_attempt_at__lt=timezone.now() - older_than
        ).values_list("pk", "attempts")
    )
    with transaction.atomic():
        for pk, attempts in stalled:
            deliver_notice.enqueue(pk, attempts)
    return len(stalled)
