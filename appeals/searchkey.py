"""Search keys for the Call Centre: names, phones and e-mails folded the way operators type them.

Pure: no Django, no database.

A caller's name reaches the operator in one of three scripts: Azerbaijani Latin (``Məmmədov``),
a passport or English spelling (``Mammadov``, ``Mamedov``) or Russian Cyrillic (``Мамедов``).
Every spelling is folded onto one *sound skeleton*, and both the stored key and the operator's
words go through the same :func:`fold`, so any spelling finds any other:

1. Letters become Latin. Azerbaijani letters stay as they are; Russian Cyrillic (and the
   Azerbaijani Cyrillic of 1939–1991: ә ғ ҹ ј ө ү һ ҝ) goes through our own table, :data:`_CYRILLIC`,
   which follows how Russian writes Azerbaijani names: ``е ё ю я`` are ``ye yö yu ya`` (the ``y``
   is dropped again after a consonant, step 3), ``ы`` is ``ı``, ``дж`` is ``c``. Every other
   script and accented letter (Georgian, Armenian, Greek, Persian, ``é``, ``ß``) goes through the
   ``anyascii`` library, which gives each character its usual romanisation, so a name written in
   any script meets its Latin spelling.
2. Passport and English letter pairs become the Azerbaijani letter: ``dzh dj``→c, ``zh``→j,
   ``sh``→ş, ``ch``→ç, ``kh``→x, ``gh``→ğ.
3. Glides: a ``y`` between a consonant and a vowel goes (``Gyulnara``, ``Kyazim``, Russian
   ``Мамедов`` = ``mamyedov``); an ``e`` after a vowel gains its ``y`` (``Aliev`` → ``aliyev``).
4. Classes: ``a e ə`` → a, ``i ı y`` → i, ``o ö`` → o, ``u ü`` → u, ``h x q k g ğ`` → k (Russian
   writes Azerbaijani h as г, Гасанов, and q as к or г, Кулиев, Гулиев; passports write q as g and
   x as kh or h), ``c ç j`` → j (Cəfərov, Jafarov, Джафаров; operators without an Azerbaijani keyboard
   type Çavadov as ``cavadov``), ``ş`` → s (``sukurov``), ``w`` → v.
5. A letter written twice is written once (``Məmmədov``, ``Mamedov``; ``Ülviyyə``, ``Ульвия``).

So ``Məmmədov``, ``Mammadov``, ``Mamedov`` and ``Мамедов`` are all ``mamadov``; ``Həsənova``,
``Hasanova``, ``Gasanova`` and ``Гасанова`` are ``kasanova``. Different surnames stay different
(``aliav`` Əliyev, ``kuliav`` Quliyev, ``valiav`` Vəliyev; ``mamadov`` Məmmədov, ``akmadov`` Əhmədov),
and a query word must match the *start* of a word of the key, so ``Aliyev`` does not find Vəliyev.
The table of real spellings that must meet, and of surnames that must not, is
``tests/unit/test_searchkey.py``.

The price of one key for every spelling is a few look-alikes that meet although they are not the
same name (Qasımov and Həşimov are both ``kasimov``); the operator tells them apart by the first
name, the phone or the number. Spellings it does not bring together: Russian ``е`` typed for
``ё`` (Кенуль for Кёнуль, Könül), ``j`` for ``y`` (Gusejnov), ``о`` for ``ə`` (Мирзоев, Mirzəyev).

Words are kept separate; the query matches each word wherever it stands, so word order does not
matter.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Russian, with the letters Azerbaijani Cyrillic (1939–1991) added and the few of Ukrainian and
# Belarusian. Written as Azerbaijani Latin; step 2 to 5 of the module's description do the rest.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "ye",
    "ё": "yö",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "x",
    "ц": "ts",
    "ч": "ç",
    "ш": "ş",
    "щ": "şç",
    "ъ": "",
    "ы": "ı",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Azerbaijani Cyrillic
    "ә": "ə",
    "ғ": "ğ",
    "ҹ": "c",
    "ј": "y",
    "ө": "ö",
    "ү": "ü",
    "һ": "h",
    "ҝ": "g",
    # Ukrainian, Belarusian
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "u",
}
_AZERBAIJANI = frozenset("əşçğıöü")
# Marks people type inside a name (O'Neil, a passport's Gyul'nara for Гюльнара): they join.
_APOSTROPHES = frozenset("'`´ʹʻʼʽ‘’′")
_PAIRS = {"dzh": "c", "dj": "c", "zh": "j", "sh": "ş", "ch": "ç", "kh": "x", "gh": "ğ"}
_PAIR = re.compile("|".join(_PAIRS))
_VOWELS = "aeiouəıöü"
_GLIDE_AFTER_CONSONANT = re.compile(f"(?<=[^{_VOWELS}y])y(?=[{_VOWELS}])")
_E_AFTER_VOWEL = re.compile(f"(?<=[{_VOWELS}])e")
_CLASSES = str.maketrans(
    {
        "e": "a",
        "ə": "a",
        "ı": "i",
        "y": "i",
        "ö": "o",
        "ü": "u",
        "h": "k",
        "x": "k",
        "q": "k",
        "g": "k",
        "ğ": "k",
        "c": "j",
        "ç": "j",
        "ş": "s",
        "w": "v",
    }
)
_TWICE = re.compile(r"([a-z])\1+")
_WORDS = re.compile(r"[0-9a-zəşçğıöü]+")
_DIGITS = re.compile(r"\d")

# A word shorter than this cannot use the trigram index; such a query would read every row.
MIN_WORD_LENGTH = 3
MAX_QUERY_LENGTH = 200
MAX_KEY_LENGTH = 300  # the stored key's column size
PHONE_TAIL_LENGTH = 7  # the subscriber's number without the operator's or city's code: 598-19-16


def _latin(text: str) -> str:
    """Lower case Latin: Azerbaijani letters kept, Cyrillic by our table, the rest by anyascii."""
    text = unicodedata.normalize("NFKC", text).replace("İ", "i").lower()
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _APOSTROPHES or category.startswith("M"):  # a mark NFKC could not attach
            continue
        if ch.isascii() or ch in _AZERBAIJANI:
            out.append(ch)
        elif ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif category.startswith("L"):
            out.append(anyascii(ch).lower().replace("'", ""))
        elif category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(" ")  # punctuation and symbols separate words
    return "".join(out)


def _skeleton(word: str) -> str:
    word = _PAIR.sub(lambda match: _PAIRS[match.group()], word)
    word = _E_AFTER_VOWEL.sub("ye", word)
    word = _GLIDE_AFTER_CONSONANT.sub("", word)
    return _TWICE.sub(r"\1", word.translate(_CLASSES))


def fold(text: str) -> str:
    """The sound skeleton of each word of ``text`` (see the module's description), separated
    by one space: ``fold("Məmmədova Leyla") == fold("Мамедова Лейла") == "mamadova laila"``."""
    return " ".join(_skeleton(word) for word in _WORDS.findall(_latin(text)))


def name_key(name: str) -> str:
    """What is stored beside the applicant's name and searched: `` kasanova laila `` (padded
    with spaces so that a word can be matched at its start)."""
    folded = fold(name)[: MAX_KEY_LENGTH - 2]  # folding can lengthen a name (ß → ss, 李 → li)
    return f" {folded} " if folded else ""


def name_words(query: str) -> list[str]:
    """The words of a name query that are long enough to search by, each to be found at the
    start of a word of :func:`name_key` (``" " + word`` is a substring of the key)."""
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


def phone_tail(phone: str) -> str:
    """The last seven digits of the phone (``5981916`` for +994 50 598 19 16): what a caller
    gives who leaves out the operator's code. Empty when the text is not a phone."""
    return phone_key(phone)[-PHONE_TAIL_LENGTH:]


def email_key(email: str) -> str:
    return email.strip().lower()


def looks_like_phone(query: str) -> bool:
    stripped = query.strip()
    return (
        bool(stripped)
        and all(ch.isdecimal() or ch in "+-() ." for ch in stripped)
        and (len(_DIGITS.findall(unicodedata.normalize("NFKC", stripped))) >= 7)
    )
