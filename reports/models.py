"""Summaries kept so that the reports stay fast however long the lookup log grows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LookupDailySummary(models.Model):
    """Lookups of one finished day, by channel and outcome (maintained by `summarise_lookups`)."""

    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=8)
    outcome = models.CharField(_("outcome"), max_length=16)
    count = models.PositiveIntegerField(_("lookups"))

    class Meta:
        verbose_name = _("daily lookup summary")
        verbose_name_plural = _("daily lookup summaries")
        permissions = [("view_reports", _("Can view service reports"))]
        constraints = [models.UniqueConstraint(fields=["day", "channel", "outcome"], name="lookup_summary_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.outcome}: {self.count}"


class OverdueAlert(models.Model):
    """One alert e-mail a day per department head: running the command twice sends nothing new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    letters = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    delivered = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="overdue_alert_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
