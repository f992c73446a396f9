"""Notices to applicants and to those who asked to follow a letter ("notify me"): the outbox.

A notice is a row here, written in the same transaction as the change it reports, with its
delivery task (django-tasks-db) beside it: a rolled-back change leaves neither, a committed one
is never forgotten. The row keeps the delivery's state (queued, sent, failed after N tries with
the error) for the letter's admin page."""

from __future__ import annotations

import secrets
import string
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import Letter, StatusEvent

KEY_ALPHABET = string.ascii_lowercase + string.digits
KEY_LENGTH = 10  # about 51 bits: short enough for an SMS link, too many to guess


def new_key() -> str:
    """A short random key for the links in a notice (unsubscribe, confirm)."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


class NotificationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Registered")
    ASSIGNMENT = "assignment", _("Assigned")
    STATUS_UPDATE = "status_update", _("Status changed")
    EXTENSION = "extension", _("Term extended")
    FORWARDING = "forwarding", _("Forwarded")
    ENDING = "ending", _("Answered or left without consideration")
    REOPENING = "reopening", _("Reopened")
    CONFIRMATION = "confirmation", _("Confirmation of a subscription")


# The notices after which there is nothing more to say: a subscription ends with them.
FINAL_KINDS = frozenset({NotificationKind.FORWARDING, NotificationKind.ENDING})


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent: no longer wanted")


class Subscription(models.Model):
    """Someone who has the number asked for notices about the letter, by e-mail or SMS, with no
    account. Nothing is sent until they confirm (a link by e-mail, a 6-digit code by SMS);
    unconfirmed requests expire. The contact is personal data: only supervisors see it, and it
    is deleted when the subscription ends (unsubscribed, or the letter closed)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        EXPIRED = "expired", _("Expired")

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="subscriptions")
    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    # Keyed hashes: pending requests are counted per contact and per client without keeping
    # either in a form anyone can read back (the lookup log's way).
    contact_digest = models.CharField(max_length=32, db_index=True, editable=False)
    client_digest = models.CharField(max_length=32, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="az")
    key = models.CharField(max_length=16, unique=True, default=new_key, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)  # of the link's token or the SMS code
    wrong_codes = models.PositiveSmallIntegerField(default=0, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="subscription_state_expiry")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_state_display()}"


class Notification(models.Model):
    """One notice to one recipient on one channel, and what became of it."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        StatusEvent, verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    channel = models.CharField(
        _("channel"), max_length=8, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )
    # The applicant's e-mail or phone; empty for a subscriber, whose contact stays on the
    # subscription (supervisors only) and goes with it.
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # What it says, written when the change happened (a later change must not rewrite it): the
    # e-mail's subject, text and HTML, or the SMS. Public facts only (texts.py).
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(blank=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Sent with every attempt (the gateway's Idempotency-Key, the e-mail's Message-ID), so a
    # retry after a lost answer is recognised and never delivered twice.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()}"

    @property
    def delivered(self) -> bool:
        return self.state == DeliveryState.SENT
