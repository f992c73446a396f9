"""The public lookup, the service's one user goal (regulation 3.2–3.5): what a citizen or the
national portal typed, who asks, in which language → the outcome and what the public may see.

The web page and the JSON API both call ``look_up`` and only render its result. Each call is
limited per client and parsed; a well-formed number is then found in the public read model and
recorded in the lookup log by one statement, a refusal recorded by one insert, each committed
before the answer is sent. Only the repeated refusals of a client already over its limit are
counted by the limiter instead of logged."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from web import ratelimit

from .models import LookupChannel, LookupLog, LookupOutcome, PublicLetter, working_days_between
from .notifications import contacts
from .numbers import InvalidNumber, RegistrationNumber, normalise_registration_number
from .publicview import PublicLetterView


@dataclass(frozen=True)
class Caller:
    """Who asks: a web visitor, or an API client (``api_client_id`` None when its credentials
    were missing or wrong). ``client_key`` is what the limit counts (the address, or its /64)."""

    channel: LookupChannel
    address: str
    client_key: str
    api_client_id: int | None = None
    api_rate_limit_per_minute: int = 0


@dataclass(frozen=True)
class LookupResult:
    outcome: LookupOutcome
    number: RegistrationNumber | None = None
    letter: PublicLetterView | None = None
    retry_after: int = 0
    recorded: bool = True  # refusals after a client's first in a window are counted, not logged


def _limit(caller: Caller) -> ratelimit.Verdict:
    """A known API client has its own allowance; web visitors and callers without valid
    credentials are counted by address."""
    if caller.api_client_id is not None:
        return ratelimit.check(f"api:{caller.api_client_id}", [(caller.api_rate_limit_per_minute, 60)])
    key = hash_client_address(caller.client_key)
    return ratelimit.check(f"lookup:{caller.channel}:{key}", settings.LOOKUP_RATE_LIMITS)


def look_up(typed: str | None, *, caller: Caller, language: str) -> LookupResult:
    """Answer one lookup and record it with its outcome. A well-formed number is found and
    recorded by one statement; a refusal is recorded by one insert. A client over its limit gets
    one ``rate_limited`` row for the first refusal in each window: a flood of refused requests
    costs the log nothing more (the limiter counts them) and cannot grow it without bound."""
    limited = _limit(caller)
    if limited:
        result = LookupResult(LookupOutcome.RATE_LIMITED, retry_after=limited.wait, recorded=limited.first_refusal)
    elif caller.channel == LookupChannel.API and caller.api_client_id is None:
        result = LookupResult(LookupOutcome.UNAUTHORIZED)
    else:
        try:
            number = normalise_registration_number(typed)
        except InvalidNumber as problem:
            result = LookupResult(LookupOutcome(problem.kind.value))
        else:
            return find_and_record(number, caller=caller, language=language)
    if result.recorded:
        record_lookup(
            outcome=result.outcome,
            language=language,
            client_address=caller.address,
            channel=caller.channel,
            api_client_id=caller.api_client_id,
        )
    return result


def count_overdue_days(letter: PublicLetterView, today: dt.date) -> None:
    """An open letter past its due date: how many working days ago the term passed. The
    calendar is read only then (one small query), so an on-time lookup costs nothing more."""
    if letter.is_overdue(today):
        letter.working_days_overdue = working_days_between(letter.due_date, today)


_LOOKUP_COLUMNS = (
    "occurred_at",
    "channel",
    "number",
    "outcome",
    "language",
    "client_hash",
    "letter_id",
    "api_client_id",
)
_LOG, _PUBLIC = LookupLog._meta.db_table, PublicLetter._meta.db_table
_COLUMNS = ", ".join(_LOOKUP_COLUMNS)
_INSERT_LOOKUP = f"INSERT INTO {_LOG} ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(_LOOKUP_COLUMNS))})"
# The lookup of a well-formed number: its row in the log, with the outcome and the letter the
# read model gave, and back what the public may see of that letter, in one statement (one
# round trip, committed at once outside a transaction), so the answer and its record agree.
_FIND_AND_RECORD = (
    f"INSERT INTO {_LOG} ({_COLUMNS}) "
    f"SELECT %s, %s, %s, CASE WHEN public.letter_id IS NULL THEN %s ELSE %s END, %s, %s, public.letter_id, %s "
    f"FROM (SELECT 1) AS asked LEFT JOIN {_PUBLIC} AS public ON public.registration_number = %s "
    f"RETURNING letter_id, (SELECT data FROM {_PUBLIC} WHERE letter_id = {_LOG}.letter_id)"
)


# On PostgreSQL the statement is prepared once per database session and then only executed:
# planning it was a fifth of the database's work for a lookup (benchmarks/README.md). A prepared
# statement lives as long as its session: a new connection prepares it again, and so does one
# whose session a pooler reset (DISCARD ALL) or that finds it already there.
_PREPARED_NAME = "dgk_find_and_record"
_PARTS = _FIND_AND_RECORD.split("%s")  # the placeholders as PostgreSQL's $1, $2 …
_PREPARE = f"PREPARE {_PREPARED_NAME} AS " + _PARTS[0] + "".join(f"${n}{part}" for n, part in enumerate(_PARTS[1:], 1))
_EXECUTE = f"EXECUTE {_PREPARED_NAME} ({', '.join(['%s'] * (len(_PARTS) - 1))})"
_NOT_PREPARED, _ALREADY_PREPARED = "26000", "42P05"  # PostgreSQL's error codes


def _code(error: DatabaseError) -> str | None:
    return getattr(error.__cause__, "pgcode", None)


def _execute_find_and_record(cursor, values: tuple) -> None:
    if connection.vendor != "postgresql":
        cursor.execute(_FIND_AND_RECORD, values)
        return
    session = connection.connection  # a new one after a reconnection
    if getattr(connection, "prepared_lookup_session", None) is not session:
        _prepare(cursor)
        connection.prepared_lookup_session = session
    try:
        cursor.execute(_EXECUTE, values)
    except DatabaseError as error:
        if _code(error) != _NOT_PREPARED:
            raise
        _prepare(cursor)  # the session was reset under us: once more
        cursor.execute(_EXECUTE, values)


def _prepare(cursor) -> None:
    try:
        cursor.execute(_PREPARE)
    except DatabaseError as error:
        if _code(error) != _ALREADY_PREPARED:
            raise


def find_and_record(number: RegistrationNumber, *, caller: Caller, language: str) -> LookupResult:
    """Find the letter with this number in the public read model (its unique index) and record
    the lookup, in one plain statement: building the read through the ORM cost 0.4 ms of CPU a
    lookup, more than the database took to answer, and a second statement for the log one more
    round trip (benchmarks/README.md). If it fails the lookup fails (503) rather than go unrecorded."""
    canonical = number.canonical
    values = (
        connection.ops.adapt_datetimefield_value(timezone.now()),
        caller.channel,
        canonical,
        LookupOutcome.NOT_FOUND,
        LookupOutcome.FOUND,
        language[:8],
        hash_client_address(caller.address),
        caller.api_client_id,
        canonical,
    )
    with connection.cursor() as cursor:
        _execute_find_and_record(cursor, values)
        letter_id, data = cursor.fetchone()
    if letter_id is None:
        return LookupResult(LookupOutcome.NOT_FOUND, number=number)
    letter = PublicLetterView(json.loads(data) if isinstance(data, str | bytes) else data, letter_id=letter_id)
    count_overdue_days(letter, timezone.localdate())
    return LookupResult(LookupOutcome.FOUND, number=number, letter=letter)


def hash_client_address(address: str) -> str:
    """A salted, keyed hash of a client address: lookups from one client can be counted
    together without the address itself ever being stored (the same digest counts "notify me"
    requests per client)."""
    return contacts.digest(address)


def record_lookup(
    *,
    outcome: LookupOutcome,
    language: str,
    client_address: str,
    channel: LookupChannel = LookupChannel.WEB,
    api_client_id: int | None = None,
) -> None:
    """Record a refused lookup (regulation 3.5.1: every request and its result) before it is
    answered: one INSERT, committed at once outside a transaction. If it fails the lookup fails
    (503) rather than go unrecorded. A plain statement, not the ORM's save(), like the found one."""
    values = (
        connection.ops.adapt_datetimefield_value(timezone.now()),
        channel,
        "",
        outcome,
        language[:8],
        hash_client_address(client_address),
        None,
        api_client_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LOOKUP, values)
