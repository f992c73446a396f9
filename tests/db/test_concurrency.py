"""Registration numbers stay unique when many clerks register at once (PostgreSQL only)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from appeals import services
from appeals.models import Channel, Kind, Letter

THREADS = 8
PER_THREAD = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_never_repeats_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no race to test")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def clerk(index: int) -> None:
        try:
            barrier.wait()
            for n in range(PER_THREAD):
                services.register_letter(
                    received_on=dt.date(2026, 5, 4),
                    kind=Kind.LETTER,
                    channel=Channel.POST,
                    subject=f"Sınaq {index}-{n}",
                    applicant_name="Hüseynov Vüqar",
                )
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(Letter.objects.values_list("registration_sequence", flat=True))
    assert len(numbers) == THREADS * PER_THREAD
    assert sorted(numbers) == list(range(1, THREADS * PER_THREAD + 1))
