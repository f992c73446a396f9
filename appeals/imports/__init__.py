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

from collections import deque
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from .. import notifications, numbers, services
from ..models import RegistrationCounter
from .checking import Plan, check_file
from .reading import COLUMNS, ImportFileError, ImportResult
from .writing import write_rows

__all__ = ["COLUMNS", "ImportFileError", "ImportResult", "import_letters"]


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
    plan = check_file(path, result, progress and (lambda n: progress("checked", n)))
    if not result.ok:
        return result
    pools = _preview_numbers(plan) if dry_run else _take_numbers(plan)
    try:
        with transaction.atomic():
            _no_statement_timeout()
            write_rows(plan.batches, result, actor, progress and (lambda n: progress("imported", n)), pools)
            # The import tells nobody (it records old history), but a letter it closed has
            # nothing more to say to its subscribers: their subscriptions end here.
            notifications.end_closed_subscriptions()
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


def _take_numbers(plan: Plan) -> dict[int, deque[numbers.RegistrationNumber]]:
    """Reserve the file's own numbers and take the new ones in a short transaction of their
    own, so clerks registering letters meanwhile never wait for the import (gaps are allowed)."""
    with transaction.atomic():
        for year, sequence in plan.given_max.items():
            services.reserve_registration_numbers(year=year, up_to=sequence)
        return {
            year: deque(services.allocate_registration_numbers(year=year, count=count))
            for year, count in plan.to_assign.items()
        }


def _preview_numbers(plan: Plan) -> dict[int, deque[numbers.RegistrationNumber]]:
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
