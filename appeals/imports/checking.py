"""The whole file checked before anything is written: duplicates, conflicts with letters
already registered, new departments and executors, the numbers to reserve and to assign."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Department, Executor, Letter
from ..statuses import Status, reachable
from .reading import MAX_ERRORS_KEPT, ImportResult, ImportRow, batches_of


def existing_letters(rows: list[ImportRow]) -> tuple[dict[str, Letter], dict[str, Letter]]:
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
class Plan:
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


def check_file(path: str, result: ImportResult, progress: Callable[[int], None] | None) -> Plan:
    """First pass: every row, every problem; nothing is written."""
    plan = Plan()
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

    for rows, errors in batches_of(path):
        plan.batches.append(rows)
        for line, message in errors:
            fail(line, message)
        result.rows += len(rows) + len(errors)
        by_number, by_key = existing_letters(rows)
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
