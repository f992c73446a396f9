"""Search keys for the Call Centre: names, phones and e-mails folded the way operators type them.

Pure: no Django, no database. A name key is lower case with Azerbaijani letters written
without their marks (ə→e, ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u), so ``eliyev`` finds ``Əliyev``
and ``ISMAYILOVA`` finds ``İsmayılova``. Words are kept separate; the query matches each word
wherever it stands, so word order does not matter.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not take apart (ə, ı) or that operators type differently.
_FOLD = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "I": "i", "İ": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
_NOT_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d")

# A word shorter than this cannot use the trigram index; such a query would read every row.
MIN_WORD_LENGTH = 3
MAX_QUERY_LENGTH = 200
MAX_KEY_LENGTH = 300  # the stored key's column size


def fold(text: str) -> str:
    """Lower case, marks removed, Azerbaijani letters folded, words separated by one space."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().translate(_FOLD)
    return " ".join(word for word in _NOT_WORD.split(text.replace("_", " ")) if word)


def name_key(name: str) -> str:
    """What is stored beside the applicant's name and searched: `` hesenova leyla `` (padded
    with spaces so that a word can be matched at its start)."""
    folded = fold(name)[: MAX_KEY_LENGTH - 2]  # folding can lengthen a name (ß → ss)
    return f" {folded} " if folded else ""


def name_words(query: str) -> list[str]:
    """The words of a name query that are long enough to search by."""
    return [word for word in fold(query).split() if len(word) >= MIN_WORD_LENGTH]


def phone_key(phone: str) -> str:
    """The national significant number: +994 50 123 45 67, 050-123-45-67 and 0501234567 all
    give ``501234567``. Empty when the text has too few digits to be a phone."""
    digits = "".join(str(unicodedata.decimal(ch)) for ch in phone if ch.isdecimal())
    if digits.startswith("00994"):
        digits = digits[5:]
    elif digits.startswith("994") and len(digits) == 12:
        digits = digits[3:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = digits[1:]
    return digits if 7 <= len(digits) <= 12 else ""


def email_key(email: str) -> str:
    return email.strip().lower()


def looks_like_phone(query: str) -> bool:
    stripped = query.strip()
    return (
        bool(stripped)
        and all(ch.isdecimal() or ch in "+-() ." for ch in stripped)
        and (len(_DIGITS.findall(unicodedata.normalize("NFKC", stripped))) >= 7)
    )
