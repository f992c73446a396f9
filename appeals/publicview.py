"""What the public may see of a letter: the public read model's data.

``build`` turns a letter (with its department, executor and timeline loaded) into plain JSON
data in all three languages; the services store it in ``PublicLetter`` in the same transaction
as every change that alters it. ``PublicLetterView`` reads that data back in the active language
for the result page and the API. Nothing private goes in: never the applicant's name, contacts,
the subject, staff notes or the internal reasons for an extension or a reopening."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from .models import (
    LANGUAGE_CODES,
    AnswerChannel,
    ExtensionGround,
    Kind,
    NonConsiderationGround,
    active_language,
    choice_label,
    event_headline,
)
from .phones import phone_uri
from .statuses import OPEN, Status, explanation, next_steps


def _in_languages(obj, field: str) -> dict[str, str]:
    fallback = getattr(obj, f"{field}_az")
    return {code: getattr(obj, f"{field}_{code}") or fallback for code in LANGUAGE_CODES}


def term_working_days(needs_additional_study: bool) -> int:
    """The examination term in working days (art. 10.1): 15, or 30 with additional study."""
    if needs_additional_study:
        return settings.APPEALS_EXTENDED_TERM_WORKING_DAYS
    return settings.APPEALS_TERM_WORKING_DAYS


def build(letter, events) -> dict:
    """The public data of ``letter``; ``events`` is its timeline, oldest first. Works on the
    models and on their historical versions in migrations (fields only, no methods)."""
    department, executor = letter.department, letter.executor
    return {
        "number": letter.registration_number,
        "kind": letter.kind,
        "received_on": letter.received_on.isoformat(),
        "status": letter.status,
        "department": {"code": department.code, "name": _in_languages(department, "name"), "phone": department.phone}
        if department
        else None,
        "executor": {
            "name": executor.full_name,
            "position": _in_languages(executor, "position"),
            "phone": executor.phone,
        }
        if executor
        else None,
        "forwarded_to": letter.forwarded_to,
        "forwarded_on": (
            letter.closed_on.isoformat() if letter.status == Status.FORWARDED and letter.closed_on else None
        ),
        "due_date": letter.due_date.isoformat() if letter.due_date else None,
        # Migrations older than the field build views from letters without it.
        "due_date_provisional": getattr(letter, "due_date_provisional", False),
        "term_working_days": term_working_days(letter.needs_additional_study),
        "original_due_date": letter.original_due_date.isoformat() if letter.original_due_date else None,
        # How it ended and why its term was extended, as codes the page words from a list;
        # never the staff's own reasons. Older migrations build views from letters without them.
        "extension_ground": getattr(letter, "extension_ground", ""),
        "closed_on": letter.closed_on.isoformat() if letter.closed_on else None,
        "answer_channel": getattr(letter, "answer_channel", ""),
        "outgoing_number": getattr(letter, "outgoing_number", ""),
        "ground": getattr(letter, "non_consideration_ground", ""),
        "updated_at": letter.updated_at.isoformat(),
        "timeline": [
            {
                "at": event.occurred_at.isoformat(),
                "kind": event.kind,
                "status": event.to_status,
                "department": _in_languages(event.department, "name") if event.department else None,
                "note": event.public_note,
            }
            for event in events
        ],
    }


def store(public_model, letters_with_timelines) -> None:
    """Write the public data of each (letter, its timeline oldest first) pair: one upsert."""
    public_model._default_manager.bulk_create(
        [
            public_model(
                letter_id=letter.pk, registration_number=letter.registration_number, data=build(letter, events)
            )
            for letter, events in letters_with_timelines
        ],
        update_conflicts=True,
        unique_fields=["pk"],
        update_fields=["registration_number", "data"],
        batch_size=1000,
    )


def refresh(letters, *, event_model, public_model, chunk: int = 2000) -> int:
    """Rebuild the stored public data of every letter in the queryset ``letters``, in chunks
    (three queries each). The models are arguments so that migrations can pass their own."""
    ids = list(letters.order_by("pk").values_list("pk", flat=True))
    manager = letters.model._default_manager
    timeline = Prefetch(
        "events", queryset=event_model._default_manager.select_related("department").order_by("occurred_at", "pk")
    )
    for start in range(0, len(ids), chunk):
        part = manager.filter(pk__in=ids[start : start + chunk]).select_related("department", "executor")
        store(public_model, ((letter, letter.events.all()) for letter in part.prefetch_related(timeline)))
    return len(ids)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class PublicDepartment:
    code: str
    name: str
    phone: str = ""

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone) if self.phone else ""


@dataclass(frozen=True)
class PublicExecutor:
    full_name: str
    position: str
    phone: str

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.phone)


@dataclass(frozen=True)
class PublicEvent:
    occurred_at: dt.datetime
    kind: str
    status: str
    department: PublicDepartment | None
    public_note: str

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def headline(self) -> str:
        return event_headline(self.kind, self.status)


class PublicLetterView:
    """The read model's data in the active language, shaped for the page and the API."""

    def __init__(self, data: dict, *, letter_id: int | None = None) -> None:
        self.letter_id = letter_id  # for the lookup log
        language = active_language()
        department, executor = data["department"], data["executor"]
        self.registration_number: str = data["number"]
        self.kind: str = data["kind"]
        self.status: str = data["status"]
        self.received_on = _date(data["received_on"])
        self.due_date = _date(data["due_date"])
        self.due_date_provisional: bool = data.get("due_date_provisional", False)
        self.term_working_days: int | None = data.get("term_working_days")
        self.forwarded_on = _date(data.get("forwarded_on"))
        self.original_due_date = _date(data["original_due_date"])
        self.updated_at = dt.datetime.fromisoformat(data["updated_at"])
        self.forwarded_to: str = data["forwarded_to"]
        self.closed_on = _date(data.get("closed_on"))
        self.answer_channel: str = data.get("answer_channel", "")
        self.outgoing_number: str = data.get("outgoing_number", "")
        self.ground: str = data.get("ground", "")
        self.extension_ground: str = data.get("extension_ground", "")
        self.department = (
            PublicDepartment(department["code"], department["name"][language], department.get("phone", ""))
            if department
            else None
        )
        # Set by the lookup when the letter is overdue (it reads the calendar only then).
        self.working_days_overdue: int | None = None
        self.executor = (
            PublicExecutor(executor["name"], executor["position"][language], executor["phone"]) if executor else None
        )
        self.timeline = [
            PublicEvent(
                occurred_at=dt.datetime.fromisoformat(event["at"]),
                kind=event["kind"],
                status=event["status"],
                department=PublicDepartment("", event["department"][language]) if event["department"] else None,
                public_note=event["note"],
            )
            for event in data["timeline"]
        ]

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def status_explanation(self) -> str:
        return explanation(self.status)

    @property
    def needs_additional_study(self) -> bool:
        """The 30-day term of art. 10.1 (the public data keeps the term's length)."""
        return self.term_working_days == settings.APPEALS_EXTENDED_TERM_WORKING_DAYS

    @property
    def next_steps(self) -> str:
        return next_steps(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_overdue(self, today: dt.date) -> bool:
        """The one definition of overdue (LetterQuerySet.overdue), on the public data."""
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def overdue(self) -> bool:
        return self.working_days_overdue is not None

    @property
    def answer_channel_label(self) -> str:
        return choice_label(AnswerChannel, self.answer_channel)

    @property
    def ground_label(self) -> str:
        return choice_label(NonConsiderationGround, self.ground)

    @property
    def extension_ground_label(self) -> str:
        return choice_label(ExtensionGround, self.extension_ground)
