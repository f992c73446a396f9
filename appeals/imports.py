"""Loading letters from the Committee's existing registry (product.md, "Data exchange").

One code path for the ``import_letters`` command and the admin's upload form:
``import_letters(path=…, dry_run=…)``. The file is read once, streaming, and every row is
validated (nothing is written if any row is bad, and every bad row is reported with its line
number); the parsed rows are kept (about 1 KB each) and then all go in one transaction, in
batches, through the domain's own builders (``services.new_letter``, ``services.enter_status``,
``services.letter_event``). Re-importing the same file changes
nothing: rows are matched by registration number, or, where the file has none, by a
fingerprint of the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import numbers, rules, searchkey, services
from .models import Channel, Department, EventKind, Executor, Kind, Letter, RegistrationCounter, StatusEvent
from .statuses import NEEDS_EXECUTOR, Status, reachable

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
)
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
        present=frozenset(values),
    )


def _batches(path: str) -> Iterator[tuple[list[ImportRow], list[tuple[int, str]]]]:
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


class _Registry:
    """Departments and executors by natural key; created on demand during the write pass."""

    def __init__(self) -> None:
        self.departments = {d.code: d for d in Department.objects.all()}
        self.executors = {(e.department_id, e.full_name): e for e in Executor.objects.all()}

    def department_known(self, row: ImportRow) -> bool:
        return row.department_code in self.departments

    def department(self, row: ImportRow) -> Department:
        department = self.departments.get(row.department_code)
        if department is None:
            department = Department.objects.create(code=row.department_code, name_az=row.department_name)
            self.departments[department.code] = department
        return department

    def executor(self, row: ImportRow, department: Department) -> Executor | None:
        if not row.executor_name:
            return None
        key = (department.pk, row.executor_name)
        executor = self.executors.get(key)
        if executor is None:
            executor = Executor.objects.create(
                full_name=row.executor_name,
                department=department,
                position_az=row.executor_position,
                phone=row.executor_phone,
            )
            self.executors[key] = executor
        return executor


def _wanted(row: ImportRow, letter: Letter, department: Department, executor: Executor | None) -> dict:
    """The values an import may change on a registered letter: only columns the file has, and
    an empty cell never blanks what the letter already holds."""
    candidates = {
        "kind": row.kind,
        "channel": row.channel,
        "subject": row.subject,
        "status": row.status,
        "department_id": department.pk,
        "applicant_email": row.applicant_email,
        "applicant_phone": row.applicant_phone,
        "executor_id": executor.pk if executor else None,
    }
    column = {"department_id": "department_code", "executor_id": "executor_name"}
    return {
        name: value
        for name, value in candidates.items()
        if column.get(name, name) in row.present and value not in ("", None)
    }


def _existing(rows: list[ImportRow]) -> tuple[dict[str, Letter], dict[str, Letter]]:
    by_number = Letter.objects.in_bulk([r.number.canonical for r in rows if r.number], field_name="registration_number")
    keys = [r.fingerprint for r in rows if r.number is None]
    by_key = {letter.import_key: letter for letter in Letter.objects.filter(import_key__in=keys)} if keys else {}
    return by_number, by_key


def _conflict(row: ImportRow, letter: Letter) -> str | None:
    """A number already registered for another letter (other date or applicant) is refused."""
    if letter.received_on != row.received_on or letter.applicant_name != row.applicant_name:
        return _("%(number)s is already registered for another letter (received %(date)s, another applicant)") % {
            "number": letter.registration_number,
            "date": letter.received_on.strftime("%d.%m.%Y"),
        }
    return None


@dataclass
class _Plan:
    """What the first pass learnt for the second: numbers to reserve and to assign."""

    given_max: dict[int, int] = field(default_factory=dict)  # highest number the file gives, by year
    to_assign: dict[int, int] = field(default_factory=dict)  # rows that will need a new number, by year
    batches: list[list[ImportRow]] = field(default_factory=list)  # the parsed rows, for the write pass


def _status_problem(row: ImportRow, letter: Letter) -> str | None:
    if row.status == letter.status or Status(row.status) in reachable(letter.status):
        return None
    return _("%(number)s cannot go from “%(from)s” to “%(to)s”; a closed letter is reopened in the back office") % {
        "number": letter.registration_number,
        "from": letter.status,
        "to": row.status,
    }


def _validate(path: str, result: ImportResult, progress: Callable[[int], None] | None) -> _Plan:
    """First pass: every row, every problem; nothing is written."""
    plan = _Plan()
    given_max = plan.given_max
    seen_numbers: dict[str, int] = {}
    seen_fingerprints: dict[str, int] = {}
    known_departments = set(Department.objects.values_list("code", flat=True))
    known_executors = set(Executor.objects.values_list("department__code", "full_name"))
    departments_in_file: set[str] = set()

    def fail(line: int, message: str) -> None:
        result.error_count += 1
        if len(result.errors) < MAX_ERRORS_KEPT:
            result.errors.append((line, message))

    for rows, errors in _batches(path):
        plan.batches.append(rows)
        for line, message in errors:
            fail(line, message)
        result.rows += len(rows) + len(errors)
        by_number, by_key = _existing(rows)
        for row in rows:
            existing = by_number.get(row.number.canonical) if row.number else by_key.get(row.fingerprint)
            problem = existing and _status_problem(row, existing)
            if problem:
                fail(row.line, problem)
                continue
            if row.number:
                given_max[row.number.year] = max(given_max.get(row.number.year, 0), row.number.sequence)
                first = seen_numbers.setdefault(row.number.canonical, row.line)
                if first != row.line:
                    fail(row.line, _("duplicate of line %(line)s (same registration number)") % {"line": first})
                    continue
                letter = by_number.get(row.number.canonical)
                conflict = letter and _conflict(row, letter)
                if conflict:
                    fail(row.line, conflict)
                    continue
            else:
                first = seen_fingerprints.setdefault(row.fingerprint, row.line)
                if first != row.line:
                    fail(
                        row.line,
                        _("duplicate of line %(line)s (same date, kind, channel, subject and applicant)")
                        % {"line": first},
                    )
                    continue
                if existing is None:
                    year = row.received_on.year
                    plan.to_assign[year] = plan.to_assign.get(year, 0) + 1
            if row.department_code not in known_departments | departments_in_file:
                if not row.department_name:
                    fail(
                        row.line,
                        _("department %(code)s is new: give its department_name") % {"code": row.department_code},
                    )
                    continue
                departments_in_file.add(row.department_code)
            if row.executor_name and (row.department_code, row.executor_name) not in known_executors:
                if not row.executor_phone:
                    fail(row.line, _("executor %(name)s is new: give the executor_phone") % {"name": row.executor_name})
                    continue
                known_executors.add((row.department_code, row.executor_name))
        if progress:
            progress(result.rows)
    return plan


def _write(
    batches: list[list[ImportRow]],
    result: ImportResult,
    actor,
    progress: Callable[[int], None] | None,
    pools: dict[int, deque[numbers.RegistrationNumber]],
) -> None:
    """Second pass, inside the caller's transaction: create, update or leave each row."""
    registry = _Registry()
    calendar = services.WorkingCalendar.load()
    now = timezone.now()
    today = timezone.localdate(now)
    done = 0
    for rows in batches:
        by_number, by_key = _existing(rows)
        new_letters: list[tuple[ImportRow, Letter]] = []
        changed: list[Letter] = []
        changed_fields: set[str] = set()
        events: list[StatusEvent] = []
        timelines: list[tuple[Letter, list[StatusEvent]]] = []
        for row in rows:
            department = registry.department(row)
            executor = registry.executor(row, department)
            letter = by_number.get(row.number.canonical) if row.number else by_key.get(row.fingerprint)
            if letter is None:
                number = row.number or pools[row.received_on.year].popleft()
                if row.number is None:
                    result.assigned.append((row.line, number.canonical))
                letter = services.new_letter(
                    number=number,
                    received_on=row.received_on,
                    calendar=calendar,
                    kind=row.kind,
                    channel=row.channel,
                    subject=row.subject,
                    applicant_name=row.applicant_name,
                    applicant_email=row.applicant_email,
                    applicant_phone=row.applicant_phone,
                    department=department,
                    executor=executor,
                    import_key="" if row.number else row.fingerprint,
                    created_at=now,
                    updated_at=now,
                )
                services.enter_status(letter, row.status, on=today, calendar=calendar)
                new_letters.append((row, letter))
                result.created += 1
                result.outcomes.append((row.line, number.canonical, "created"))
                continue
            wanted = _wanted(row, letter, department, executor)
            differences = [name for name, value in wanted.items() if getattr(letter, name) != value]
            if not differences:
                result.unchanged += 1
                result.outcomes.append((row.line, letter.registration_number, "unchanged"))
                continue
            from_status = letter.status
            for name in differences:
                setattr(letter, name, wanted[name])
            if "status" in differences:
                differences += services.enter_status(letter, wanted["status"], on=today, calendar=calendar)
                letter.department, letter.executor = department, executor
                events.append(
                    services.letter_event(
                        letter, EventKind.IMPORT, from_status=from_status, actor=actor, occurred_at=now
                    )
                )
            letter.applicant_phone_key = searchkey.phone_key(letter.applicant_phone)
            letter.updated_at = now
            changed.append(letter)
            changed_fields.update(differences)
            result.updated += 1
            result.outcomes.append((row.line, letter.registration_number, "updated"))
        if new_letters:
            created = bulk_create_with_history(
                [letter for _, letter in new_letters], Letter, batch_size=BATCH, default_user=actor
            )
            if any(letter.pk is None for letter in created):  # a database that does not return ids
                ids = Letter.objects.in_bulk(
                    [le.registration_number for le in created], field_name="registration_number"
                )
                created = [ids[le.registration_number] for le in created]
            for (row, _letter), letter in zip(new_letters, created, strict=True):
                received = timezone.make_aware(dt.datetime.combine(row.received_on, dt.time(9)))
                event = services.letter_event(letter, EventKind.IMPORT, actor=actor, occurred_at=received)
                events.append(event)
                timelines.append((letter, [event]))
        if changed:
            fields = sorted({*changed_fields, "applicant_phone_key", "updated_at"})
            bulk_update_with_history(changed, Letter, fields=fields, batch_size=BATCH, default_user=actor)
        StatusEvent.objects.bulk_create(events, batch_size=BATCH)
        services.store_public_letters(timelines)  # a new letter's timeline is its import event
        if changed:
            services.refresh_public_letters(Letter.objects.filter(pk__in=[letter.pk for letter in changed]))
        done += len(rows)
        if progress:
            progress(done)


def import_letters(
    *,
    path: str,
    dry_run: bool = False,
    actor=None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """Validate the whole file; unless it has errors, import it in one transaction. A dry run
    does the same work and rolls it back, so its summary says exactly what an import would do.
    Raises :class:`ImportFileError` when the file itself cannot be read."""
    result = ImportResult(dry_run=dry_run)
    plan = _validate(path, result, progress and (lambda n: progress("checked", n)))
    if not result.ok:
        return result
    pools = _preview_numbers(plan) if dry_run else _take_numbers(plan)
    try:
        with transaction.atomic():
            _no_statement_timeout()
            _write(plan.batches, result, actor, progress and (lambda n: progress("imported", n)), pools)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        raise ImportFileError(
            _(
                "A registration number in the file was registered by someone else during the import. "
                "Nothing was imported; run it again."
            )
        ) from None
    return result


def _take_numbers(plan: _Plan) -> dict[int, deque[numbers.RegistrationNumber]]:
    """Reserve the file's own numbers and take the new ones in a short transaction of their
    own, so clerks registering letters meanwhile never wait for the import (gaps are allowed)."""
    with transaction.atomic():
        for year, sequence in plan.given_max.items():
            services.reserve_registration_numbers(year=year, up_to=sequence)
        return {
            year: deque(services.allocate_registration_numbers(year=year, count=count))
            for year, count in plan.to_assign.items()
        }


def _preview_numbers(plan: _Plan) -> dict[int, deque[numbers.RegistrationNumber]]:
    """For a dry run: the numbers an import would most likely get, without taking any."""
    last = dict(RegistrationCounter.objects.filter(year__in=plan.to_assign).values_list("year", "last_sequence"))
    pools = {}
    for year, count in plan.to_assign.items():
        start = max(last.get(year, 0), plan.given_max.get(year, 0)) + 1
        pools[year] = deque(numbers.RegistrationNumber(year, sequence) for sequence in range(start, start + count))
    return pools


def _no_statement_timeout() -> None:
    """A long import is not a stuck web request: lift the web processes' statement timeout."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
