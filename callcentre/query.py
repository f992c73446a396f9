"""What an operator typed: a registration number, a phone, an e-mail or a name. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from appeals import searchkey
from appeals.numbers import InvalidNumber, NumberProblem, normalise_registration_number


class QueryKind(enum.StrEnum):
    NUMBER = "number"
    PHONE = "phone"
    PHONE_TAIL = "phone_tail"  # the last seven digits, without the operator's or city's code
    EMAIL = "email"
    NAME = "name"


class QueryProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TOO_SHORT = "too_short"
    CHECKSUM = "checksum"


class InvalidQuery(ValueError):
    def __init__(self, problem: QueryProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Query:
    kind: QueryKind
    value: str  # canonical number, phone key, phone tail or e-mail key
    words: tuple[str, ...] = ()  # for names: searchkey.fold of each word, matched at a word's start


def classify(text: str) -> Query:
    """Decide what the caller's words are. Raises :class:`InvalidQuery` for input that cannot be
    searched without reading every row (nothing, one letter, punctuation only, too long)."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise InvalidQuery(QueryProblem.EMPTY)
    if len(text) > searchkey.MAX_QUERY_LENGTH:
        raise InvalidQuery(QueryProblem.TOO_LONG)
    try:
        return Query(QueryKind.NUMBER, normalise_registration_number(text).canonical)
    except InvalidNumber as error:
        # A number-shaped query with a wrong digit: say so, unless it is a phone (0…, +994…).
        if error.kind is NumberProblem.CHECKSUM and not text.lstrip().startswith(("0", "+", "9")):
            raise InvalidQuery(QueryProblem.CHECKSUM) from None
    if searchkey.looks_like_phone(text):
        key = searchkey.phone_key(text)
        if len(key) == searchkey.PHONE_TAIL_LENGTH:  # 598-19-16: the caller left out the code
            return Query(QueryKind.PHONE_TAIL, key)
        if key:
            return Query(QueryKind.PHONE, key)
    if "@" in text and " " not in text:
        return Query(QueryKind.EMAIL, searchkey.email_key(text))
    words = searchkey.name_words(text)
    if not words:
        raise InvalidQuery(QueryProblem.TOO_SHORT)
    return Query(QueryKind.NAME, " ".join(words), tuple(words))
