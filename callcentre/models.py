"""What operators looked at: applicant data is shown to them, so every search and every opened
letter is recorded for supervisors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    SEARCH = "search", _("Search")
    OPEN = "open", _("Opened a letter")


class OperatorAccess(models.Model):
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=AccessAction.choices)
    query = models.CharField(_("what was searched"), max_length=200, blank=True)
    filters = models.CharField(_("filters"), max_length=200, blank=True)
    result_count = models.PositiveIntegerField(_("results"), null=True, blank=True)
    letter = models.ForeignKey(
        "appeals.Letter", verbose_name=_("letter"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("operator access")
        verbose_name_plural = _("operator access log")
        ordering = ["-occurred_at"]
        permissions = [("search_letters", _("Can search letters for callers (Call Centre)"))]
        indexes = [models.Index(fields=["user", "occurred_at"], name="operator_access_user_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_id} {self.get_action_display()}"
