"""The audit as a supervisor reads it: each saved version of a letter, who saved it, and what
changed, with field names in the staff member's language and values as people know them
(department and executor names, status labels, dates), never raw ids or codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from web.capitals import upper_first

from ..models import Department, Executor, Letter

# Columns that are the system's own bookkeeping, not something a person changed.
HIDDEN = frozenset(
    {
        "id",
        "applicant_search_key",
        "applicant_phone_key",
        "applicant_phone_tail",
        "import_key",
        "notices_key",  # a bearer key: it stops the applicant's notices
        "created_at",
        "updated_at",
        "registration_year",
        "registration_sequence",
    }
)


def label(text) -> str:
    """A field name with its first letter capitalised as the language does it (İ in Azerbaijani)."""
    return upper_first(str(text))


class Names:
    """Department and executor names by id, read once for a page of versions."""

    def __init__(self) -> None:
        self._departments: dict[int, str] | None = None
        self._executors: dict[int, str] | None = None

    def department(self, pk: int) -> str:
        if self._departments is None:
            self._departments = {d.pk: d.name for d in Department.objects.all()}
        return self._departments.get(pk, f"#{pk}")

    def executor(self, pk: int) -> str:
        if self._executors is None:
            self._executors = dict(Executor.objects.values_list("pk", "full_name"))
        return self._executors.get(pk, f"#{pk}")


def shown(field, value, names: Names) -> str:
    """``value`` of a letter's ``field`` as people know it."""
    if value is None or value == "":
        return "—"
    if field.name == "department":
        return names.department(value)
    if field.name == "executor":
        return names.executor(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def changes(version, previous, names: Names) -> list[Change]:
    """What ``version`` changed since ``previous`` (None: it is the first version, and every
    field it set is shown as set)."""
    result = []
    for field in Letter._meta.concrete_fields:
        if field.name in HIDDEN:
            continue
        new = getattr(version, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if old == new or (previous is None and new in (None, "", False)):
            continue
        result.append(Change(label(field.verbose_name), shown(field, old, names), shown(field, new, names)))
    return result


def what_happened(version) -> str:
    return {"+": _("registered"), "~": _("changed"), "-": _("deleted")}.get(version.history_type, "")


def with_previous(versions) -> list:
    """The ``versions`` (a page of the audit, or one letter's), each given ``previous``, the
    version of its letter saved before it (None for the first), and ``names``, one lookup of
    department and executor names for them all: one query for the page, not one per row."""
    versions = list(versions)
    names = Names()
    previous_of, last = {}, {}
    every = Letter.history.filter(id__in={version.id for version in versions}).order_by("history_date", "history_id")
    for version in every:
        previous_of[version.history_id] = last.get(version.id)
        last[version.id] = version
    for version in versions:
        version.previous, version.names = previous_of.get(version.history_id), names
    return versions


def letter_history(letter: Letter) -> list[dict]:
    """Every saved version of ``letter``, oldest first, with what each changed."""
    versions = with_previous(letter.history.select_related("history_user").order_by("history_date", "history_id"))
    return [
        {
            "when": version.history_date,
            "who": version.history_user,
            "what": what_happened(version),
            "changes": changes(version, version.previous, version.names),
        }
        for version in versions
    ]
