"""The lookup log's writer against the real database: many rows in few statements, exactly
as given; and the way back to writing at once when too many rows wait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from appeals import lookuplog, services
from appeals.models import LookupLog, LookupOutcome
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db


def test_insert_rows_writes_every_row_as_given_in_statements_of_500(django_assert_num_queries):
    letter = LetterFactory()
    start = timezone.now().replace(microsecond=0)
    rows = [
        (
            connection.ops.adapt_datetimefield_value(start + dt.timedelta(seconds=n)),
            "web",
            letter.registration_number if n % 2 else "",
            LookupOutcome.FOUND if n % 2 else LookupOutcome.MALFORMED,
            "ru",
            f"hash{n}",
            letter.pk if n % 2 else None,
            None,
        )
        for n in range(1001)
    ]
    with django_assert_num_queries(3):
        lookuplog.insert_rows(rows)
    assert LookupLog.objects.count() == 1001
    assert LookupLog.objects.filter(outcome=LookupOutcome.FOUND, letter=letter).count() == 500
    last = LookupLog.objects.get(client_hash="hash1000")
    assert last.occurred_at == start + dt.timedelta(seconds=1000)
    assert (last.outcome, last.language, last.number) == (LookupOutcome.MALFORMED, "ru", "")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce column lengths")
def test_a_row_the_table_refuses_neither_blocks_nor_doubles_the_others(caplog):
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(now, "web", "", LookupOutcome.MALFORMED, "az", f"ok{n}", None, None) for n in range(600)]
    rows[550] = (now, "web", "", LookupOutcome.MALFORMED, "az" * 20, "refused", None, None)  # language: 8 at most
    lookuplog.write_batch(rows)
    assert LookupLog.objects.count() == 599  # each once: the first 500 did not stay in on their own
    assert not LookupLog.objects.filter(client_hash="refused").exists()
    assert "a row the table refuses, set aside" in caplog.text and '"refused"' in caplog.text


def test_with_a_full_buffer_a_lookup_writes_its_own_row(settings, monkeypatch):
    settings.LOOKUP_LOG_FLUSH_SECONDS = 60
    full = lookuplog.LookupBuffer(lambda rows: None, seconds=60, batch=10, hold_limit=0)
    monkeypatch.setattr(lookuplog, "_buffer", full)
    services.record_lookup(outcome=LookupOutcome.NOT_FOUND, language="az", client_address="203.0.113.7")
    assert LookupLog.objects.filter(outcome=LookupOutcome.NOT_FOUND).count() == 1
    assert len(full) == 0


def test_a_batch_written_row_by_row_is_still_all_or_nothing(monkeypatch):
    """The table refused the batch, and the database goes away after two of the rows: none of
    them stays, so the retry cannot write them twice."""
    from django.db import IntegrityError, OperationalError

    real_insert = lookuplog.insert_rows
    calls = []

    def flaky_insert(rows):
        calls.append(len(rows))
        if len(calls) == 1:
            raise IntegrityError("a refused row somewhere in the batch")
        if len(calls) == 4:
            raise OperationalError("server closed the connection unexpectedly")
        real_insert(rows)

    monkeypatch.setattr(lookuplog, "insert_rows", flaky_insert)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(now, "web", "", LookupOutcome.MALFORMED, "az", f"row{n}", None, None) for n in range(3)]
    with pytest.raises(OperationalError):
        lookuplog.write_batch(rows)
    assert calls == [3, 1, 1, 1]
    assert LookupLog.objects.count() == 0
