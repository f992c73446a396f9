"""Departments and the executors who work in them, named in three languages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..phones import phone_uri

LANGUAGE_CODES = ("az", "ru", "en")


def active_language() -> str:
    """The active language's code among ours; Azerbaijani otherwise."""
    language = (get_language() or "az")[:2]
    return language if language in LANGUAGE_CODES else "az"


class LocalizedMixin:
    """Read ``<field>_az``, ``<field>_ru`` or ``<field>_en`` in the active language."""

    def localized(self, field: str) -> str:
        return getattr(self, f"{field}_{active_language()}") or getattr(self, f"{field}_az")


class Department(LocalizedMixin, models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    def clean(self) -> None:
        """A department cannot be its own parent, nor sit below one of its own sub-departments."""
        super().clean()
        seen, parent = {self.pk}, self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError(
                    {"parent": _("A department cannot be placed under itself or its own sub-department.")}
                )
            seen.add(parent.pk)
            parent = parent.parent


class Executor(LocalizedMixin, models.Model):
    """A staff member who handles letters; a department head is an executor of their department."""

    full_name = models.CharField(_("full name"), max_length=255)
    position_az = models.CharField(_("position (Azerbaijani)"), max_length=255)
    position_ru = models.CharField(_("position (Russian)"), max_length=255, blank=True)
    position_en = models.CharField(_("position (English)"), max_length=255, blank=True)
    phone = models.CharField(_("contact phone"), max_length=32)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="executors"
    )
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(_("language for e-mails"), max_length=2, choices=settings.LANGUAGES, default="az")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="executor",
    )

    class Meta:
        verbose_name = _("executor")
        verbose_name_plural = _("executors")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["full_name", "department"], name="executor_unique_name_in_department"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def position(self) -> str:
        return self.localized("position")

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)
