"""Letters, their status history, their public view and the numbers they are registered under."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..numbers import spoken_groups
from ..statuses import FINAL, OPEN, OPEN_LIST, Status, explanation
from .calendar import due_soon_until
from .directory import Department, Executor


class Kind(models.TextChoices):
    REQUEST = "request", _("Request")
    LETTER = "letter", _("Letter")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    CALL_CENTRE = "call_centre", _("Call Centre")


class AnswerChannel(models.TextChoices):
    """How an answer reached the applicant."""

    POST = "post", _("by post")
    EMAIL = "email", _("by e-mail")
    IN_PERSON = "in_person", _("in person")
    E_GOV = "e_gov", _("through the e-government portal")


class NonConsiderationGround(models.TextChoices):
    """Why a letter is left without consideration (Law on Citizens' Appeals, art. 8), in the
    words the applicant reads on the public page: staff choose one, their note stays internal."""

    REPEATED = "repeated", _("It repeats earlier appeals that were answered, with no new facts (art. 8.1.4).")
    OTHER_PROCEDURE = "other_procedure", _("The law sets another procedure for examining it (art. 8).")
    FORM = "form", _("It does not meet the requirements of form set by law (art. 8).")
    COURT = "court", _("A court has already decided the matter by a final decision (art. 8).")
    WITHDRAWN = "withdrawn", _("The applicant withdrew it (art. 8).")


class ExtensionGround(models.TextChoices):
    """Why the examination term was extended (art. 10.2), in the words the applicant reads."""

    MORE_INFORMATION = "more_information", _("More information or documents are needed to answer it.")
    OTHER_BODY = "other_body", _("Information was requested from another body.")


def choice_label(choices, code: str) -> str:
    """The public wording of a code of ``choices``; an unknown or empty code says nothing."""
    return str(choices(code).label) if code in choices.values else ""


def overdue_q(today: dt.date) -> models.Q:
    """The one definition of overdue: open and past its due date on ``today``. The admin's
    filter, the reports' counts and lists, the heads' alerts and the citizen's page use it."""
    return models.Q(status__in=OPEN_LIST, due_date__lt=today)


class LetterQuerySet(models.QuerySet):
    def open(self) -> LetterQuerySet:
        return self.filter(status__in=OPEN_LIST)

    def closed(self) -> LetterQuerySet:
        return self.filter(status__in=FINAL)

    def overdue(self, today: dt.date | None = None) -> LetterQuerySet:
        """Open letters past their due date (overdue_q)."""
        return self.filter(overdue_q(today or timezone.localdate()))

    def due_soon(self, today: dt.date | None = None) -> LetterQuerySet:
        """Open letters due from today to APPEALS_DUE_SOON_WORKING_DAYS working days ahead."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=due_soon_until(today))

    def for_public(self) -> LetterQuerySet:
        """What the public result page reads: the letter, its department and executor, its timeline."""
        return self.select_related("department", "executor").prefetch_related(
            models.Prefetch(
                "events", queryset=StatusEvent.objects.select_related("department").order_by("occurred_at", "pk")
            )
        )


class Letter(models.Model):
    registration_number = models.CharField(_("registration number"), max_length=24, unique=True, editable=False)
    registration_year = models.PositiveSmallIntegerField(_("registration year"), editable=False)
    registration_sequence = models.PositiveIntegerField(_("sequence number"), editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.LETTER)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("date registered"))
    subject = models.CharField(_("subject"), max_length=500)
    applicant_name = models.CharField(_("applicant's name"), max_length=255)
    applicant_email = models.EmailField(_("applicant's e-mail"), blank=True)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=32, blank=True)
    # Folded copies of the applicant's name and phone for the Call Centre's search (searchkey.py).
    applicant_search_key = models.CharField(max_length=300, blank=True, editable=False)
    applicant_phone_key = models.CharField(max_length=16, blank=True, editable=False)
    applicant_phone_tail = models.CharField(max_length=7, blank=True, editable=False)  # its last 7 digits
    applicant_language = models.CharField(
        _("applicant's language"), max_length=2, choices=settings.LANGUAGES, default="az"
    )
    # The applicant is told of every change by e-mail and SMS unless they objected (an
    # unsubscribe link in every notice, or staff on their word). The key names the applicant in
    # those links; it is made with the first notice.
    applicant_notices = models.BooleanField(
        _("applicant agrees to notices"),
        default=True,
        db_default=True,  # rows written by COPY (benchmarks, bulk loads) agree too
        help_text=_("Untick if the applicant asked not to be told of changes by e-mail or SMS."),
    )
    notices_key = models.CharField(max_length=16, unique=True, null=True, blank=True, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    executor = models.ForeignKey(
        Executor,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.REGISTERED)
    needs_additional_study = models.BooleanField(_("needs additional study"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    original_due_date = models.DateField(_("original due date"), null=True, blank=True, editable=False)
    # The due date ends in a year whose holiday calendar is estimated or missing: "to be confirmed".
    due_date_provisional = models.BooleanField(_("due date to be confirmed"), default=False, editable=False)
    # The law's other terms, counted from registration like the due date (calendar.LegalTerms).
    forwarding_due = models.DateField(
        _("forward by (art. 7.10)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the letter is outside the Committee's competence."),
    )
    notice_due = models.DateField(
        _("reasons for leaving without consideration by (art. 8)"), null=True, blank=True, editable=False
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True, editable=False)
    extension_ground = models.CharField(
        _("ground for the extension"), max_length=32, choices=ExtensionGround.choices, blank=True, editable=False
    )
    forwarded_to = models.CharField(_("competent body"), max_length=255, blank=True, editable=False)
    closure_reason = models.TextField(_("reason"), blank=True, editable=False)
    # How the letter ended, as the applicant reads it on the public page.
    answer_channel = models.CharField(
        _("answer sent"), max_length=16, choices=AnswerChannel.choices, blank=True, editable=False
    )
    outgoing_number = models.CharField(_("outgoing number"), max_length=64, blank=True, editable=False)
    non_consideration_ground = models.CharField(
        _("ground for leaving without consideration"),
        max_length=32,
        choices=NonConsiderationGround.choices,
        blank=True,
        editable=False,
    )
    # Set when the letter reaches a final status (cleared on reopening), for the reports.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer"), null=True, blank=True, editable=False
    )
    # For letters imported without a number: a fingerprint of the row, so re-importing the same
    # file finds them again instead of registering them twice.
    import_key = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = LetterQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], verbose_name=_("letter change"))

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        permissions = [
            ("register_letter", _("Can register letters")),
            ("assign_letter", _("Can assign letters to a department and an executor")),
            ("change_letter_status", _("Can change the status of letters")),
            ("extend_due_date", _("Can extend due dates")),
            ("reopen_letter", _("Can reopen closed letters")),
            ("import_letters", _("Can import letters from the registry")),
        ]
        ordering = ["-received_on", "-registration_sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_year", "registration_sequence"], name="letter_unique_year_sequence"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="letter_status_due"),
            models.Index(fields=["department", "status"], name="letter_department_status"),
            models.Index(fields=["executor", "status"], name="letter_executor_status"),
            models.Index(fields=["-received_on"], name="letter_received"),
            models.Index(fields=["applicant_phone_key"], name="letter_phone_key"),
            models.Index(fields=["applicant_phone_tail"], name="letter_phone_tail"),
            models.Index(fields=["department", "received_on"], name="letter_department_received"),
            models.Index(fields=["status", "closed_on"], name="letter_status_closed"),
            # Open letters by due date and by executor: the overdue lists and the workload.
            models.Index(fields=["due_date"], condition=models.Q(status__in=OPEN_LIST), name="letter_open_due"),
            models.Index(
                fields=["executor", "due_date"],
                condition=models.Q(status__in=OPEN_LIST),
                name="letter_open_executor_due",
            ),
            models.Index(Lower("applicant_email"), name="letter_email_lower"),
            # PostgreSQL also has a pg_trgm GIN index on applicant_search_key (migration 0006).
        ]

    def __str__(self) -> str:
        return self.registration_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def registration_number_spoken(self) -> str:
        return spoken_groups(self.registration_number)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def can_be_extended(self) -> bool:
        return self.is_open and self.original_due_date is None

    @property
    def status_explanation(self) -> str:
        return explanation(self.status)


class EventKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    IMPORT = "import", _("Imported from the registry")
    STATUS = "status", _("Status change")
    ASSIGNMENT = "assignment", _("Assignment")
    EXTENSION = "extension", _("Due date extended")
    REOPENING = "reopening", _("Reopened")
    RECOMPUTED = "recomputed", _("Due date recomputed: the holiday calendar was corrected")
    CONFIRMED = "confirmed", _("Due date confirmed: the year's holiday calendar was confirmed")


# Events a timeline names by themselves: the status stayed (an extension, a recomputed due
# date) or came back (a reopening), so the status alone would not say what happened.
NAMED_EVENTS = frozenset({EventKind.EXTENSION, EventKind.REOPENING, EventKind.RECOMPUTED, EventKind.CONFIRMED})


def event_headline(kind: str, status: str) -> str:
    """What a timeline says happened: the event itself, or the status the letter came to."""
    return str(EventKind(kind).label if kind in NAMED_EVENTS else Status(status).label)


class StatusEvent(models.Model):
    """One change in a letter's life: its registration, a status change or a (re)assignment."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, choices=Status.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executor = models.ForeignKey(
        Executor, verbose_name=_("executor"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    public_note = models.TextField(_("public note"), blank=True)
    staff_note = models.TextField(_("note for staff"), blank=True, help_text=_("Never shown to the public."))

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["letter", "occurred_at"], name="event_letter_time")]

    def __str__(self) -> str:
        """What a person calls this line of the history: when, and what happened."""
        return f"{timezone.localtime(self.occurred_at):%d.%m.%Y %H:%M} · {self.headline}"

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label

    @property
    def headline(self) -> str:
        return event_headline(self.kind, self.to_status)


class PublicLetter(models.Model):
    """The public read model: what the result page and the API show of a letter (see
    publicview.py), written by the services in the same transaction as every change that alters
    it, read by a lookup in one indexed query. It holds nothing private."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, primary_key=True, related_name="public")
    registration_number = models.CharField(max_length=24, unique=True)
    data = models.JSONField()

    class Meta:
        verbose_name = _("public view of a letter")
        verbose_name_plural = _("public views of letters")

    def __str__(self) -> str:
        return self.registration_number


class RegistrationCounter(models.Model):
    """The last sequence number given out in a year; rows are locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registration counter")
        verbose_name_plural = _("registration counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"
