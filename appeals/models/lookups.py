"""The public lookup log (regulation 3.5.1) and the API clients it names."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import Letter

TOKEN_PREFIX_LENGTH = 8


def hash_token(token: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    """A client of the JSON API (the national e-government portal and the like): the lookup
    log names the client of every API lookup."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_prefix = models.CharField(_("token begins with"), max_length=TOKEN_PREFIX_LENGTH, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to revoke: it takes effect at once.")
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        db_table = "api_apiclient"  # created by the api app, which kept it until 2026-11

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """Set a new random token and return it; only its hash is kept, so show it now or never."""
        token = secrets.token_urlsafe(32)
        self.token_prefix = token[:TOKEN_PREFIX_LENGTH]
        self.token_hash = hash_token(token)
        return token


class LookupOutcome(models.TextChoices):
    EMPTY = "empty", _("Nothing entered")
    MALFORMED = "malformed", _("Not a registration number")
    CHECKSUM = "checksum", _("Check digit mismatch")
    NOT_FOUND = "not_found", _("Not registered")
    FOUND = "found", _("Found")
    RATE_LIMITED = "rate_limited", _("Too many requests")
    UNAUTHORIZED = "unauthorized", _("No valid API credentials")


class LookupChannel(models.TextChoices):
    WEB = "web", _("Web site")
    API = "api", _("API")


class LookupLog(models.Model):
    """Every lookup made through the service and its result (regulation 3.5.1)."""

    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, choices=LookupChannel.choices, default=LookupChannel.WEB)
    number = models.CharField(_("number asked for"), max_length=24, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=LookupOutcome.choices)
    language = models.CharField(_("language"), max_length=8)
    client_hash = models.CharField(_("client (salted hash)"), max_length=64, blank=True)
    # No database constraints or indexes on the two links: the log is only ever appended to, with
    # ids just read; a constraint made each lookup lock the letter's row (FOR KEY SHARE, a write to
    # the letters' table) when its row was committed, and nothing reads the log by letter or client
    # (letters and API clients are never deleted). Django still keeps on_delete.
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    api_client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("lookup log entry")
        verbose_name_plural = _("lookup log")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["occurred_at"], name="lookup_time"),
            models.Index(fields=["outcome", "occurred_at"], name="lookup_outcome_time"),
            models.Index(fields=["number"], name="lookup_number"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.number or '—'} {self.get_outcome_display()}"
