"""Registration numbers: the ``YYYY-NNNNNN-C`` format, the Damm check digit and normalisation.

Pure: no Django, no database. Citizens type these numbers from a letter or an SMS and operators
read them over the phone, so the parser forgives spaces, any dash, slashes, dots, no separators,
full-width or Arabic-Indic digits and an optional ``DGK`` prefix, and tells four errors apart.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

# The Damm quasigroup of order 10 (Damm 2004), as printed in the literature.
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

SEQUENCE_WIDTH = 6
MAX_SEQUENCE_DIGITS = 9
# Longer input cannot be a registration number, however forgiving we are; cut work short.
MAX_INPUT_LENGTH = 64

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63/\\.·_,]+")
# Prefixes as printed on paper: the Committee's "DGK" and a numero sign ("№", which NFKC makes
# "No", "No.", "N", "Nº"), in either order; a registration number itself is digits only.
_NUMERO = r"N[O\u00ba\u00b0]?\s*[.:#]?\s*"
_DGK = r"DGK\s*[.:#]?\s*"
_PREFIX = re.compile(rf"^\s*(?:{_DGK}(?:{_NUMERO})?|{_NUMERO}(?:{_DGK})?)", re.IGNORECASE)


class NumberProblem(enum.StrEnum):
    """Why a typed number cannot be looked up (the database is not asked for any of these)."""

    EMPTY = "empty"
    MALFORMED = "malformed"
    CHECKSUM = "checksum"


class InvalidNumber(ValueError):
    """Raised by :func:`normalise_registration_number`; ``kind`` says which error it is."""

    def __init__(self, kind: NumberProblem) -> None:
        super().__init__(kind.value)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class RegistrationNumber:
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if not 0 <= self.year <= 9999:
            raise ValueError("year must have four digits")
        if not 0 <= self.sequence < 10**MAX_SEQUENCE_DIGITS:
            raise ValueError(f"sequence must have at most {MAX_SEQUENCE_DIGITS} digits")

    @property
    def body(self) -> str:
        """The digits the check digit is computed over: YYYY followed by NNNNNN."""
        return f"{self.year:04d}{self.sequence:0{SEQUENCE_WIDTH}d}"

    @property
    def check_digit(self) -> int:
        return damm_check_digit(self.body)

    @property
    def canonical(self) -> str:
        return f"{self.year:04d}-{self.sequence:0{SEQUENCE_WIDTH}d}-{self.check_digit}"

    def __str__(self) -> str:
        return self.canonical


def damm_check_digit(digits: str) -> int:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for char in digits:
        interim = _DAMM_TABLE[interim][ord(char) - 48]
    return interim


def damm_is_valid(digits_with_check: str) -> bool:
    """True when the last digit is the Damm check digit of the ones before it."""
    return damm_check_digit(digits_with_check) == 0


def format_registration_number(year: int, sequence: int) -> str:
    """Canonical form for a year and a sequence number: ``2026-000042-6``."""
    return RegistrationNumber(year, sequence).canonical


def _fold_digits(text: str) -> str:
    """Map every Unicode decimal digit (full-width, Arabic-Indic, …) to its ASCII digit."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _split_groups(digits: list[str]) -> tuple[str, str, str] | None:
    """Year, sequence and check digit from the digit groups the separators left, or None."""
    if len(digits) == 1:
        (run,) = digits
        if len(run) < 4 + SEQUENCE_WIDTH + 1:
            return None
        return run[:4], run[4:-1], run[-1]
    if len(digits) == 2:
        first, second = digits
        # Without a separator between them, the sequence must have its full width.
        if len(first) == 4 and len(second) >= SEQUENCE_WIDTH + 1:  # 2026 0000426
            return first, second[:-1], second[-1]
        if len(first) >= 4 + SEQUENCE_WIDTH and len(second) == 1:  # 2026000042 6
            return first[:4], first[4:], second
        return None
    if len(digits) == 3:
        return digits[0], digits[1], digits[2]
    middle = digits[1:-1]
    spoken = 1 <= len(middle[0]) <= 3 and all(len(group) == 3 for group in middle[1:])
    if len(digits[0]) == 4 and len(digits[-1]) == 1 and spoken:  # read aloud: 2026 · 000 042 · 6
        return digits[0], "".join(middle), digits[-1]
    return None


def normalise_registration_number(raw: str | None) -> RegistrationNumber:
    """Parse what a person typed into a :class:`RegistrationNumber`.

    Raises :class:`InvalidNumber` with ``EMPTY`` (nothing typed), ``MALFORMED`` (not the shape
    of a registration number) or ``CHECKSUM`` (the shape is right but a digit is wrong).
    """
    if raw is None:
        raise InvalidNumber(NumberProblem.EMPTY)
    if len(raw) > MAX_INPUT_LENGTH * 4:
        raise InvalidNumber(NumberProblem.MALFORMED)
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise InvalidNumber(NumberProblem.EMPTY)
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidNumber(NumberProblem.MALFORMED)
    text = _PREFIX.sub("", _fold_digits(text), count=1)
    groups = [group for group in _SEPARATORS.split(text) if group]
    if not groups or not all(group.isascii() and group.isdigit() for group in groups):
        raise InvalidNumber(NumberProblem.MALFORMED)
    parts = _split_groups(groups)
    if parts is None:
        raise InvalidNumber(NumberProblem.MALFORMED)
    year, sequence, check = parts
    # The sequence may carry extra leading zeros (0000042), never more significant digits.
    if len(year) != 4 or len(check) != 1 or not sequence or len(sequence.lstrip("0")) > MAX_SEQUENCE_DIGITS:
        raise InvalidNumber(NumberProblem.MALFORMED)
    number = RegistrationNumber(int(year), int(sequence))
    if number.check_digit != int(check):
        raise InvalidNumber(NumberProblem.CHECKSUM)
    return number


def spoken_groups(canonical: str) -> str:
    """The number grouped for reading aloud: ``2026 · 000 042 · 6``."""
    year, sequence, check = canonical.split("-")
    head = len(sequence) % 3 or 3
    groups = [sequence[:head], *(sequence[i : i + 3] for i in range(head, len(sequence), 3))]
    return f"{year} · {' '.join(groups)} · {check}"
