"""Writing the checked rows through the domain's builders, in batches, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable

from django.utils import timezone

from .. import numbers, searchkey, services
from ..models import Department, EventKind, Executor, Letter, StatusEvent
from .checking import existing_letters
from .reading import BATCH, ImportResult, ImportRow


class _Registry:
    """Departments and executors by natural key; created on demand during the write pass."""

    def __init__(self) -> None:
        self.departments = {d.code: d for d in Department.objects.all()}
        self.executors = {(e.department_id, e.full_name): e for e in Executor.objects.all()}
        self.departments_by_id = {d.pk: d for d in self.departments.values()}
        self.executors_by_id = {e.pk: e for e in self.executors.values()}

    def by_id(self, department_id: int | None, executor_id: int | None) -> tuple[Department | None, Executor | None]:
        """The department and executor with these ids, from what is already loaded."""
        return self.departments_by_id.get(department_id), self.executors_by_id.get(executor_id)

    def department_known(self, row: ImportRow) -> bool:
        return row.department_code in self.departments

    def department(self, row: ImportRow) -> Department:
        department = self.departments.get(row.department_code)
        if department is None:
            department = Department.objects.create(code=row.department_code, name_az=row.department_name)
            self.departments[department.code] = department
            self.departments_by_id[department.pk] = department
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
            self.executors_by_id[executor.pk] = executor
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
        "closed_on": row.closed_on,
        "answer_channel": row.answer_channel,
        "outgoing_number": row.outgoing_number,
        "forwarded_to": row.competent_body,
        "non_consideration_ground": row.non_consideration_ground,
    }
    column = {"department_id": "department_code", "executor_id": "executor_name", "forwarded_to": "competent_body"}
    return {
        name: value
        for name, value in candidates.items()
        if column.get(name, name) in row.present and value not in ("", None)
    }


def write_rows(
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
        by_number, by_key = existing_letters(rows)
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
                services.enter_status(letter, row.status, on=row.closed_on or today, calendar=calendar)
                services.set_ending(
                    letter,
                    forwarded_to=row.competent_body,
                    answer_channel=row.answer_channel,
                    outgoing_number=row.outgoing_number,
                    ground=row.non_consideration_ground,
                )
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
            if "status" in differences or "closed_on" in differences:
                closing_day = row.closed_on or today
                differences += services.enter_status(letter, letter.status, on=closing_day, calendar=calendar)
            if "status" in differences or set(differences) & set(services.ENDING_FIELDS):
                # How it ended fits its status, as for a new letter (set_ending clears the rest).
                differences += services.set_ending(
                    letter,
                    forwarded_to=letter.forwarded_to,
                    reason=letter.closure_reason,
                    answer_channel=letter.answer_channel,
                    outgoing_number=letter.outgoing_number,
                    ground=letter.non_consideration_ground,
                )
            if "status" in differences:
                # The event describes the letter as it now stands: an empty executor cell keeps
                # the letter's executor, as it keeps every other value (no query per letter).
                letter.department, letter.executor = registry.by_id(letter.department_id, letter.executor_id)
                events.append(
                    services.letter_event(
                        letter, EventKind.IMPORT, from_status=from_status, actor=actor, occurred_at=now
                    )
                )
            letter.applicant_phone_key = searchkey.phone_key(letter.applicant_phone)
            letter.applicant_phone_tail = searchkey.phone_tail(letter.applicant_phone)
            letter.updated_at = now
            changed.append(letter)
            changed_fields.update(differences)
            result.updated += 1
            result.outcomes.append((row.line, letter.registration_number, "updated"))
        if new_letters:
            created = Letter.objects.bulk_create([letter for _, letter in new_letters], batch_size=BATCH)
            if any(letter.pk is None for letter in created):  # a database that does not return ids
                ids = Letter.objects.in_bulk(
                    [le.registration_number for le in created], field_name="registration_number"
                )
                created = [ids[le.registration_number] for le in created]
            services.record_history([letter.pk for letter in created], created=True, actor=actor, at=now)
            for (row, _letter), letter in zip(new_letters, created, strict=True):
                received = timezone.make_aware(dt.datetime.combine(row.received_on, dt.time(9)))
                event = services.letter_event(letter, EventKind.IMPORT, actor=actor, occurred_at=received)
                events.append(event)
                timelines.append((letter, [event]))
        if changed:
            fields = sorted({*changed_fields, "applicant_phone_key", "applicant_phone_tail", "updated_at"})
            Letter.objects.bulk_update(changed, fields=fields, batch_size=BATCH)
            services.record_history([letter.pk for letter in changed], created=False, actor=actor, at=now)
        StatusEvent.objects.bulk_create(events, batch_size=BATCH)
        services.store_public_letters(timelines)  # a new letter's timeline is its import event
        if changed:
            services.refresh_public_letters(Letter.objects.filter(pk__in=[letter.pk for letter in changed]))
        done += len(rows)
        if progress:
            progress(done)
