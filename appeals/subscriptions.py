""" "Notify me" without an account: whoever has a letter's number asks for its notices by e-mail
or SMS, confirms (double opt-in: a link by e-mail, a 6-digit code by SMS), and can stop them
with one click from any notice. Also the applicant's own stop link."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import notifications, services
from .models import Letter, NotificationChannel, Subscription
from .notifications import contacts, secrets
from .numbers import InvalidNumber, normalise_registration_number
from .statuses import FINAL

MAX_WRONG_CODES = 5


class Outcome(enum.StrEnum):
    EMAIL_SENT = "email_sent"  # a confirmation link is on its way
    CODE_SENT = "code_sent"  # a code is on its way by SMS
    BAD_CONTACT = "bad_contact"  # neither an e-mail address nor an Azerbaijani mobile
    NOT_FOUND = "not_found"
    CLOSED = "closed"  # the letter is closed: nothing more will be said
    TOO_MANY = "too_many"  # too many unconfirmed requests for this contact, letter or client
    ALREADY = "already"  # this contact already follows this letter
    CONFIRMED = "confirmed"
    WRONG_SECRET = "wrong_secret"
    EXPIRED = "expired"  # unconfirmed for too long, or too many wrong codes: ask again
    STOPPED = "stopped"
    UNKNOWN = "unknown"  # no such link (never was, or forged)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    subscription: Subscription | None = None
    letter: Letter | None = None


def _contact(text: str) -> tuple[str, str] | None:
    if "@" in (text or ""):
        address = contacts.email_address(text)
        return (NotificationChannel.EMAIL, address) if address else None
    phone = contacts.mobile_number(text)
    return (NotificationChannel.SMS, phone) if phone else None


@transaction.atomic
def subscribe(*, number: str, contact: str, language: str, client_address: str) -> Result:
    """Ask for notices about letter ``number`` at ``contact``: nothing is stored unless both are
    good and the limits allow; the confirmation is queued in the same transaction."""
    found = _contact(contact)
    if found is None:
        return Result(Outcome.BAD_CONTACT)
    try:
        canonical = normalise_registration_number(number).canonical
    except InvalidNumber:
        return Result(Outcome.NOT_FOUND)
    letter = Letter.objects.filter(registration_number=canonical).first()
    if letter is None:
        return Result(Outcome.NOT_FOUND)
    if letter.status in FINAL:
        return Result(Outcome.CLOSED, letter=letter)
    channel, address = found
    contact_digest = contacts.digest(contacts.counted_as(address))
    client_digest = contacts.digest(client_address)
    notifications.expire_requests()
    # A contact that already follows the letter is answered like a new one (a confirmation
    # goes to it; confirming says "already"), so nobody learns who follows what.
    pending = Subscription.objects.filter(state=Subscription.State.PENDING, expires_at__gt=timezone.now())
    limit = settings.NOTIFY_ME_MAX_PENDING
    if (
        pending.filter(contact_digest=contact_digest).count() >= limit
        or (client_digest and pending.filter(client_digest=client_digest).count() >= limit)
        or pending.filter(letter=letter).count() >= settings.NOTIFY_ME_MAX_PENDING_PER_LETTER
    ):
        return Result(Outcome.TOO_MANY, letter=letter)
    now = timezone.now()
    subscription = Subscription.objects.create(
        letter=letter,
        channel=channel,
        contact=address,
        contact_digest=contact_digest,
        client_digest=client_digest,
        language=language,
        created_at=now,
        expires_at=now + timezone.timedelta(hours=settings.NOTIFY_ME_CONFIRM_HOURS),
    )
    notifications.ask_confirmation(subscription)
    outcome = Outcome.CODE_SENT if channel == NotificationChannel.SMS else Outcome.EMAIL_SENT
    return Result(outcome, subscription, letter)


@transaction.atomic
def confirm(*, key: str, secret: str) -> Result:
    """Confirm a request with the link's token or the SMS code. Used twice, it says so."""
    subscription = Subscription.objects.select_for_update(of=("self",)).select_related("letter").filter(key=key).first()
    if subscription is None:
        return Result(Outcome.UNKNOWN)
    if subscription.state == Subscription.State.ACTIVE:
        return Result(Outcome.ALREADY, subscription, subscription.letter)
    if subscription.state == Subscription.State.ENDED:
        return Result(Outcome.STOPPED, subscription, subscription.letter)
    if (
        subscription.state == Subscription.State.EXPIRED
        or subscription.expires_at <= timezone.now()
        or subscription.wrong_codes >= MAX_WRONG_CODES
    ):
        return Result(Outcome.EXPIRED, subscription, subscription.letter)
    if not secrets.matches(subscription, secret):
        subscription.wrong_codes += 1
        subscription.save(update_fields=["wrong_codes"])
        expired = subscription.wrong_codes >= MAX_WRONG_CODES
        return Result(Outcome.EXPIRED if expired else Outcome.WRONG_SECRET, subscription, subscription.letter)
    if subscription.letter.status in FINAL:
        notifications.end_subscription(subscription)
        return Result(Outcome.CLOSED, subscription, subscription.letter)
    following = Subscription.objects.filter(
        letter=subscription.letter, contact_digest=subscription.contact_digest, state=Subscription.State.ACTIVE
    )
    if following.exists():  # asked twice, confirmed twice: one subscription, one message a change
        notifications.end_subscription(subscription)
        return Result(Outcome.ALREADY, subscription, subscription.letter)
    subscription.state, subscription.confirmed_at, subscription.secret_digest = (
        Subscription.State.ACTIVE,
        timezone.now(),
        "",
    )
    subscription.save(update_fields=["state", "confirmed_at", "secret_digest"])
    return Result(Outcome.CONFIRMED, subscription, subscription.letter)


def recipient(key: str) -> tuple[Letter | None, Subscription | None]:
    """Whose notices page ``key`` opens: an applicant's (the letter's key) or a subscriber's."""
    subscription = Subscription.objects.select_related("letter").filter(key=key).first()
    if subscription is not None:
        return subscription.letter, subscription
    return Letter.objects.filter(notices_key=key).first(), None


@transaction.atomic
def stop(*, key: str, actor=None) -> Result:
    """One click: no more notices to this recipient. A subscriber's contact is deleted; the
    applicant's objection is recorded on the letter (its history shows it)."""
    letter, subscription = recipient(key)
    if letter is None:
        return Result(Outcome.UNKNOWN)
    if subscription is not None:
        if subscription.state in (Subscription.State.PENDING, Subscription.State.ACTIVE):
            notifications.end_subscription(subscription)
        return Result(Outcome.STOPPED, subscription, letter)
    if letter.applicant_notices:
        services.update_letter_details(letter=letter, actor=actor, applicant_notices=False)
    return Result(Outcome.STOPPED, None, letter)
