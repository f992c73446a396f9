"""The public lookup, the service's one user goal (regulation 3.2–3.5): what a citizen or the
national portal typed, who asks, in which language → the outcome and what the public may see.

The web page and the JSON API both call ``look_up`` and only render its result. Each call is
limited per client, parsed, answered from the public read model and recorded in the lookup log
(committed before the answer is sent) in that order, whatever the outcome; only the repeated
refusals of a client already over its limit are counted by the limiter instead of logged."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
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


def _answer(typed: str | None, caller: Caller) -> LookupResult:
    limited = _limit(caller)
    if limited:
        return LookupResult(LookupOutcome.RATE_LIMITED, retry_after=limited.wait, recorded=limited.first_refusal)
    if caller.channel == LookupChannel.API and caller.api_client_id is None:
        return LookupResult(LookupOutcome.UNAUTHORIZED)
    try:
        number = normalise_registration_number(typed)
    except InvalidNumber as problem:
        return LookupResult(LookupOutcome(problem.kind.value))
    letter = find_public_letter(number=number)
    if letter is None:
        return LookupResult(LookupOutcome.NOT_FOUND, number=number)
    return LookupResult(LookupOutcome.FOUND, number=number, letter=letter)


def look_up(typed: str | None, *, caller: Caller, language: str) -> LookupResult:
    """Answer one lookup and record it with its outcome. A client over its limit gets one
    ``rate_limited`` row for the first refusal in each window: a flood of refused requests
    costs the log nothing more (the limiter counts them) and cannot grow it without bound."""
    result = _answer(typed, caller)
    if not result.recorded:
        return result
    if result.letter is not None:
        count_overdue_days(result.letter, timezone.localdate())
    record_lookup(
        outcome=result.outcome,
        language=language,
        client_address=caller.address,
        number=result.number,
        letter_id=result.letter.letter_id if result.letter else None,
        channel=caller.channel,
        api_client_id=caller.api_client_id,
    )
    return result


def count_overdue_days(letter: PublicLetterView, today: dt.date) -> None:
    """An open letter past its due date: how many working days ago the term passed. The
    calendar is read only then (one small query), so an on-time lookup costs nothing more."""
    if letter.is_overdue(today):
        letter.working_days_overdue = working_days_between(letter.due_date, today)


_SELECT_PUBLIC = f"SELECT letter_id, data FROM {PublicLetter._meta.db_table} WHERE registration_number = %s"


def find_public_letter(*, number: RegistrationNumber) -> PublicLetterView | None:
    """What the public may see of the letter with this number, in one query on its unique
    index. A plain statement like the log's insert: building it through the ORM cost 0.4 ms
    of CPU a lookup, more than the database took to answer (benchmarks/README.md)."""
    with connection.cursor() as cursor:
        cursor.execute(_SELECT_PUBLIC, [number.canonical])
        row = cursor.fetchone()
    if row is None:
        return None
    letter_id, data = row
    return PublicLetterView(json.loads(data) if isinstance(data, str | bytes) else data, letter_id=letter_id)


def hash_client_address(address: str) -> str:
    """A salted, keyed hash of a client address: lookups from one client can be counted
    together without the address itself ever being stored (the same digest counts "notify me"
    requests per client)."""
    return contacts.digest(address)


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
_INSERT_LOOKUP = (
    f"INSERT INTO {LookupLog._meta.db_table} ({', '.join(_LOOKUP_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(_LOOKUP_COLUMNS))})"
)


def record_lookup(
    *,
    outcome: LookupOutcome,
    language: str,
    client_address: str,
    number: RegistrationNumber | None = None,
    letter_id: int | None = None,
    channel: LookupChannel = LookupChannel.WEB,
    api_client_id: int | None = None,
) -> None:
    """Record one lookup and its result (regulation 3.5.1) before it is answered: one INSERT,
    committed at once outside a transaction. If it fails the lookup fails (503) rather than go
    unrecorded. The busiest write of the portal, so a plain statement, not the ORM's save()."""
    values = (
        connection.ops.adapt_datetimefield_value(timezone.now()),
        channel,
        number.canonical if number else "",
        outcome,
        language[:8],
        hash_client_address(client_address),
        letter_id,
        api_client_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_LOOKUP, values)
