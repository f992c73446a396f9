"""Reading a registry export: the columns, each row parsed and checked on its own."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import numbers, rules
from ..models import AnswerChannel, Channel, Kind, NonConsiderationGround
from ..statuses import FINAL, NEEDS_EXECUTOR, Status

# Every column of the contract (product.md, "Data exchange"), in its order.
COLUMNS = (
    "registration_number",
    "received_on",
    "kind",
    "channel",
    "subject",
    "applicant_name",
    "applicant_email",
    "applicant_phone",
    "department_code",
    "department_name",
    "executor_name",
    "executor_position",
    "executor_phone",
    "status",
    # Optional: how a closed letter ended, when the registry has it.
    "closed_on",
    "answer_channel",
    "outgoing_number",
    "competent_body",
    "non_consideration_ground",
)
# The status each ending column belongs to: an open letter has no ending.
ENDING_STATUS = {
    "answer_channel": Status.ANSWERED,
    "outgoing_number": Status.ANSWERED,
    "competent_body": Status.FORWARDED,
    "non_consideration_ground": Status.LEFT_WITHOUT_CONSIDERATION,
}
REQUIRED_COLUMNS = ("received_on", "kind", "channel", "subject", "applicant_name", "department_code", "status")
# Fields an import may change on a letter that is already registered.
UPDATABLE = (
    "kind",
    "channel",
    "subject",
    "applicant_email",
    "applicant_phone",
    "department_id",
    "executor_id",
    "status",
)
BATCH = 5000
CHOICES = (("kind", Kind.values), ("channel", Channel.values), ("status", Status.values))  # computed once
OPTIONAL_CHOICES = (
    ("answer_channel", AnswerChannel.values),
    ("non_consideration_ground", NonConsiderationGround.values),
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ERRORS_KEPT = 1000
LIMITS = {
    "subject": 500,
    "applicant_name": 255,
    "applicant_phone": 32,
    "department_code": 32,
    "department_name": 255,
    "executor_name": 255,
    "executor_position": 255,
    "executor_phone": 32,
    "outgoing_number": 64,
    "competent_body": 255,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, size, no header, missing columns)."""


@dataclass
class ImportRow:
    line: int
    number: numbers.RegistrationNumber | None
    received_on: dt.date
    kind: str
    channel: str
    subject: str
    applicant_name: str
    applicant_email: str
    applicant_phone: str
    department_code: str
    department_name: str
    executor_name: str
    executor_position: str
    executor_phone: str
    status: str
    closed_on: dt.date | None = None
    answer_channel: str = ""
    outgoing_number: str = ""
    competent_body: str = ""
    non_consideration_ground: str = ""
    present: frozenset[str] = frozenset()  # the columns the file has

    @property
    def fingerprint(self) -> str:
        parts = [self.received_on.isoformat(), self.kind, self.channel, self.subject, self.applicant_name]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    outcomes: list[tuple[int, str, str]] = field(default_factory=list)  # line, number, created/updated/unchanged
    assigned: list[tuple[int, str]] = field(default_factory=list)  # rows that came without a number
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def _open_text(path: str) -> io.TextIOBase:
    size = os.path.getsize(path)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s MB; at most %(limit)s MB). Split it and import the parts.")
            % {"size": size // 2**20, "limit": settings.IMPORT_MAX_BYTES // 2**20}
        )
    with open(path, "rb") as probe:
        head = probe.read(8192)
    if b"\x00" in head:
        raise ImportFileError(_("This is not a CSV text file (it contains binary data)."))
    # utf-8-sig drops a BOM when there is one; invalid bytes raise UnicodeDecodeError while reading.
    return open(path, encoding="utf-8-sig", errors="strict", newline="")


def _rows(path: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row; the header is line 1."""
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in (reader.fieldnames or [])]
            if not header:
                raise ImportFileError(_("The file has no header row."))
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
            reader.fieldnames = header
            for row in reader:
                values = {key: (value or "").strip() for key, value in row.items() if key is not None}
                if not any(values.values()):
                    continue  # blank line
                yield reader.line_num, values
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not in UTF-8. Save it as “CSV UTF-8” and try again.")) from None
    except csv.Error as error:
        raise ImportFileError(_("The file is not valid CSV: %(error)s") % {"error": error}) from None


def _parse(line: int, values: dict[str, str]) -> ImportRow:
    """One row, checked; raises ValidationError with a message in the user's language."""
    problems = []
    number = None
    if values.get("registration_number"):
        try:
            number = numbers.normalise_registration_number(values["registration_number"])
        except numbers.InvalidNumber as error:
            problems.append(
                _("registration number has a wrong check digit")
                if error.kind is numbers.NumberProblem.CHECKSUM
                else _("registration number is not in the form YYYY-NNNNNN-C")
            )
    if any("\x00" in value for value in values.values()):
        raise ValidationError(_("the row contains a NUL character"))
    try:
        if not ISO_DATE.match(values["received_on"]):
            raise ValueError
        received_on = dt.date.fromisoformat(values["received_on"])
        try:
            rules.check_received_on(received_on)
        except ValidationError as error:
            problems.extend(f"received_on: {message}" for message in error.messages)
    except ValueError:
        received_on = None
        problems.append(_("received_on must be a date YYYY-MM-DD"))
    for column, choices in CHOICES:
        if values[column] not in choices:
            problems.append(
                _("unknown %(column)s “%(value)s” (expected one of: %(choices)s)")
                % {"column": column, "value": values[column][:40], "choices": ", ".join(choices)}
            )
    for column in ("subject", "applicant_name", "department_code"):
        if not values[column]:
            problems.append(_("%(column)s is empty") % {"column": column})
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problems.append(_("%(column)s is longer than %(limit)s characters") % {"column": column, "limit": limit})
    email = values.get("applicant_email", "")
    if email:
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            problems.append(_("applicant_email is not a valid e-mail address"))
    for column, choices in OPTIONAL_CHOICES:
        if values.get(column) and values[column] not in choices:
            problems.append(
                _("unknown %(column)s “%(value)s” (expected one of: %(choices)s)")
                % {"column": column, "value": values[column][:40], "choices": ", ".join(choices)}
            )
    closed_on = _closing_day(values, received_on, problems)
    for column, status in ENDING_STATUS.items():
        if values.get(column) and values["status"] != status:
            problems.append(
                _("%(column)s is given for a letter whose status is not “%(status)s”")
                % {"column": column, "status": status}
            )
    if values["status"] in NEEDS_EXECUTOR and not values.get("executor_name"):
        problems.append(_("status “%(status)s” needs an executor_name") % {"status": values["status"]})
    if problems:
        raise ValidationError("; ".join(problems))
    return ImportRow(
        line=line,
        number=number,
        received_on=received_on,
        kind=values["kind"],
        channel=values["channel"],
        subject=values["subject"],
        applicant_name=values["applicant_name"],
        applicant_email=email,
        applicant_phone=values.get("applicant_phone", ""),
        department_code=values["department_code"],
        department_name=values.get("department_name", ""),
        executor_name=values.get("executor_name", ""),
        executor_position=values.get("executor_position", ""),
        executor_phone=values.get("executor_phone", ""),
        status=values["status"],
        closed_on=closed_on,
        answer_channel=values.get("answer_channel", ""),
        outgoing_number=values.get("outgoing_number", ""),
        competent_body=values.get("competent_body", ""),
        non_consideration_ground=values.get("non_consideration_ground", ""),
        present=frozenset(values),
    )


def _closing_day(values: dict[str, str], received_on: dt.date | None, problems: list[str]) -> dt.date | None:
    """The optional ``closed_on``: a date, for a closed letter, not before its registration
    nor in the future."""
    text = values.get("closed_on", "")
    if not text:
        return None
    if not ISO_DATE.match(text):
        problems.append(_("closed_on must be a date YYYY-MM-DD"))
        return None
    try:
        closed_on = dt.date.fromisoformat(text)
    except ValueError:
        problems.append(_("closed_on must be a date YYYY-MM-DD"))
        return None
    if values["status"] not in FINAL:
        problems.append(_("closed_on is given for a letter that is still open"))
    elif received_on and closed_on < received_on:
        problems.append(_("closed_on is before received_on"))
    elif closed_on > timezone.localdate():
        problems.append(_("closed_on is in the future"))
    return closed_on


def batches_of(path: str) -> Iterator[tuple[list[ImportRow], list[tuple[int, str]]]]:
    batch: list[ImportRow] = []
    errors: list[tuple[int, str]] = []
    for line, values in _rows(path):
        try:
            batch.append(_parse(line, values))
        except ValidationError as error:
            errors.append((line, " ".join(error.messages)))
        if len(batch) + len(errors) >= BATCH:
            yield batch, errors
            batch, errors = [], []
    if batch or errors:
        yield batch, errors
