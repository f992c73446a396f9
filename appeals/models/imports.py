"""Registry imports started from the admin: the upload waits here for the imports worker, which
reports its progress on the row and leaves the summary behind."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# The stages import_letters reports progress in (its ``progress`` callback), as the page names them.
STAGES = {"checked": _("Checking the rows"), "imported": _("Writing the letters")}


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """A staff member sees the imports they started; a superuser sees all of them."""
        return self if user.is_superuser else self.filter(created_by=user)


class ImportJob(models.Model):
    """One upload of a registry export. The file's bytes live in the database (the app's
    containers share no disk) until the job finishes; they hold applicants' personal data, so
    they are dropped then and only the summary (``outcome``) stays."""

    file = models.BinaryField(_("file"), null=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("only check the file"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # {"rows", "created", "updated", "unchanged", "error_count", "errors": [[line, reason]],
    #  "assigned_count", "assigned": [[line, number]], "message"}: see appeals.imports.jobs.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()  # the import view's own permission, appeals.import_letters, governs

    def __str__(self) -> str:
        return self.file_name

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def is_finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)
