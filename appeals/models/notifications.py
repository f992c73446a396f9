"""Notices to applicants and whether they were delivered."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import Letter, StatusEvent


class NotificationKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement of registration")
    STATUS_UPDATE = "status_update", _("Status update")


class Notification(models.Model):
    """An e-mail to the applicant and whether it was delivered to the mail server."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        StatusEvent, verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    delivered = models.BooleanField(_("delivered"), default=False)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
