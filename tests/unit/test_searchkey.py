"""Folding names, phones and e-mails the way operators type them."""

from __future__ import annotations

import pytest

from appeals.numbers import spoken_groups
from appeals.searchkey import email_key, fold, looks_like_phone, name_key, name_words, phone_key, phone_tail
from benchmarks.names import SURNAMES
from callcentre.query import InvalidQuery, QueryKind, QueryProblem, classify


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("eliyev", "Əliyev"),
        ("ISMAYILOVA", "İsmayılova"),
        ("ismayilova", "İSMAYILOVA"),
        ("hesenova", "Həsənova"),
        ("sukurov", "Şükürov"),
        ("cavadov", "Çavadov"),
        ("agayev", "Ağayev"),
        ("ozturk", "Öztürk"),
    ],
)
def test_names_fold_to_the_same_key(typed, stored):
    assert fold(typed) == fold(stored)


def test_name_key_keeps_words_apart_and_is_padded():
    assert name_key("Həsənova  Leyla-Rauf qızı") == " kasanova laila rauf kizi "
    assert name_key("") == ""


def test_short_words_are_not_searched_by():
    assert name_words("Əli A. Məmmədov") == ["ali", "mamadov"]
    assert name_words("a b") == []


@pytest.mark.parametrize(
    "typed", ["+994 50 123 45 67", "050-123-45-67", "0501234567", "994501234567", "(050) 123 45 67"]
)
def test_phone_formats_share_a_key(typed):
    assert phone_key(typed) == "501234567"


def test_email_key_is_case_insensitive():
    assert email_key("  Leyla.Aliyeva@Example.AZ ") == "leyla.aliyeva@example.az"


def test_looks_like_phone():
    assert looks_like_phone("+994 50 123 45 67")
    assert not looks_like_phone("Leyla 050")
    assert not looks_like_phone("12-34")


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("2026-000042-6", QueryKind.NUMBER, "2026-000042-6"),
        ("dgk 2026 42 6", QueryKind.NUMBER, "2026-000042-6"),
        ("+994 50 123 45 67", QueryKind.PHONE, "501234567"),
        ("050-123-45-67", QueryKind.PHONE, "501234567"),
        ("Leyla@Example.az", QueryKind.EMAIL, "leyla@example.az"),
        ("Leyla Həsənova", QueryKind.NAME, "laila kasanova"),
        ("Лейла Гасанова", QueryKind.NAME, "laila kasanova"),
        ("100%_off", QueryKind.NAME, "100"),  # "off" folds to "of": too short to search by
        ("598-19-16", QueryKind.PHONE_TAIL, "5981916"),
        ("5981916", QueryKind.PHONE_TAIL, "5981916"),
        ("+994 50 598 19 16", QueryKind.PHONE, "505981916"),
    ],
)
def test_classify(typed, kind, value):
    query = classify(typed)
    assert (query.kind, query.value) == (kind, value)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", QueryProblem.EMPTY),
        ("   ", QueryProblem.EMPTY),
        ("\x00", QueryProblem.EMPTY),
        ("a", QueryProblem.TOO_SHORT),
        ("%", QueryProblem.TOO_SHORT),
        ("_", QueryProblem.TOO_SHORT),
        ("?!.,;", QueryProblem.TOO_SHORT),
        ("x" * 10_000, QueryProblem.TOO_LONG),
        ("2026-000042-7", QueryProblem.CHECKSUM),
    ],
)
def test_unsearchable_queries_are_refused(typed, problem):
    with pytest.raises(InvalidQuery) as error:
        classify(typed)
    assert error.value.problem is problem


def test_spoken_groups():
    assert spoken_groups("2026-000042-6") == "2026 · 000 042 · 6"
    assert spoken_groups("2026-1234567-3") == "2026 · 1 234 567 · 3"


# Real names as callers spell them: Azerbaijani Latin, a passport's (or English) Latin, Russian.
SPELLINGS = [
    # surnames
    ("Əliyev", "Aliyev", "Алиев"),
    ("Əliyeva", "Aliyeva", "Алиева"),
    ("Məmmədov", "Mammadov", "Мамедов"),
    ("Məmmədova", "Mamedova", "Мамедова"),
    ("Həsənova", "Hasanova", "Гасанова"),
    ("Həsənov", "Gasanov", "Гасанов"),
    ("Hüseynov", "Huseynov", "Гусейнов"),
    ("Hüseynova", "Guseynova", "Гусейнова"),
    ("Quliyev", "Guliyev", "Кулиев"),
    ("Quliyeva", "Guliyeva", "Гулиева"),
    ("Cəfərova", "Jafarova", "Джафарова"),
    ("Cəfərov", "Djafarov", "Джафаров"),
    ("Şükürov", "Shukurov", "Шукуров"),
    ("Xəlilov", "Khalilov", "Халилов"),
    ("Xəlilova", "Halilova", "Халилова"),
    ("Çələbi", "Chalabi", "Челеби"),
    ("Ağayev", "Aghayev", "Агаев"),
    ("Ağayeva", "Agayeva", "Агаева"),
    ("Nəsirov", "Nasirov", "Насиров"),
    ("İsmayılov", "Ismayilov", "Исмаилов"),
    ("İsmayılova", "Ismailova", "Исмаилова"),
    ("Yusifova", "Yusifova", "Юсифова"),
    ("Hacıyev", "Hajiyev", "Гаджиев"),
    ("Məhərrəmov", "Maharramov", "Магеррамов"),
    ("Qəhrəmanov", "Gahramanov", "Гахраманов"),
    ("Babayev", "Babaev", "Бабаев"),
    ("Sadıqov", "Sadigov", "Садыхов"),
    ("Kazımov", "Kazimov", "Казымов"),
    ("Əhmədov", "Akhmedov", "Ахмедов"),
    ("İbrahimov", "Ibrahimov", "Ибрагимов"),
    ("Kərimov", "Karimov", "Керимов"),
    ("Rəhimov", "Rahimov", "Рагимов"),
    ("Allahverdiyev", "Allakhverdiyev", "Аллахвердиев"),
    ("Süleymanov", "Suleymanov", "Сулейманов"),
    ("Bağırov", "Baghirov", "Багиров"),
    ("Qurbanov", "Gurbanov", "Курбанов"),
    ("Zeynalov", "Zeynalov", "Зейналов"),
    ("Paşayev", "Pashayev", "Пашаев"),
    ("Vəliyev", "Valiyev", "Велиев"),
    # first names
    ("Rəşad", "Rashad", "Рашад"),
    ("Aygün", "Aygun", "Айгюн"),
    ("Günel", "Gunel", "Гюнель"),
    ("Gülnarə", "Gyulnara", "Гюльнара"),
    ("Könül", "Konul", "Кёнуль"),
    ("Ülviyyə", "Ulviyya", "Ульвия"),
    ("Leyla", "Leyla", "Лейла"),
    ("Nigar", "Nigar", "Нигяр"),
    ("Ceyhun", "Jeyhun", "Джейхун"),
    ("Orxan", "Orkhan", "Орхан"),
    ("Vüqar", "Vugar", "Вугар"),
    ("İlqar", "Ilgar", "Ильгар"),
    ("Elçin", "Elchin", "Эльчин"),
    ("Yeganə", "Yegana", "Егана"),
    ("Xədicə", "Khadija", "Хадиджа"),
    ("Sevinc", "Sevinj", "Севиндж"),
    ("Nicat", "Nijat", "Ниджат"),
    ("Şəbnəm", "Shabnam", "Шабнам"),
    ("Məryəm", "Maryam", "Марьям"),
    ("Türkan", "Turkan", "Туркан"),
]
# Whole names as registered, and what callers say: part of it, in any order, in any script.
WHOLE_NAMES = [
    ("Məmmədov Rəşad Əli oğlu", "Rashad Mammadov"),
    ("Məmmədov Rəşad Əli oğlu", "Мамедов Рашад"),
    ("Həsənova Leyla Rauf qızı", "Leyla Hasanova"),
    ("Həsənova Leyla Rauf qızı", "Гасанова Лейла"),
    ("Cəfərova Günel", "JAFAROVA GUNEL"),
    ("Cəfərova Günel", "Джафарова Гюнель"),
    ("Mamedov Rashad", "Məmmədov Rəşad"),  # registered from a passport, said in Azerbaijani
    ("Гусейнов Эльчин", "Hüseynov Elçin"),  # registered in Russian
]
# More spellings met in passports, old papers and what operators type on a Russian keyboard.
VARIANTS = [
    ("Əliyev", "Eliyev"),
    ("Əliyev", "Aliev"),
    ("Məmmədov", "Mamedov"),
    ("Məmmədov", "Memmedov"),
    ("Həsənova", "Gasanova"),
    ("Həsənova", "hesenova"),
    ("Hüseynov", "Guseynov"),
    ("Hüseynov", "Huseinov"),
    ("Quliyev", "Гулиев"),
    ("Quliyev", "Kuliev"),
    ("Cəfərova", "Djafarova"),
    ("Cəfərova", "Dzhafarova"),
    ("Xəlilov", "Halilov"),
    ("Xəlilov", "Xalilov"),
    ("Ağayev", "Agayev"),
    ("Ağayev", "Agaev"),
    ("İsmayılov", "Ismailov"),
    ("İsmayılov", "ISMAYILOV"),
    ("Hacıyev", "Gadzhiev"),
    ("Sadıqov", "Садыгов"),
    ("Qurbanov", "Гурбанов"),
    ("Gülnarə", "Gulnara"),
    ("Gülnarə", "Gyul'nara"),
    ("Leyla", "Лейля"),
    ("Leyla", "Layla"),
    ("Ceyhun", "Dzheykhun"),
    ("Cəfərov", "Ҹәфәров"),  # Azerbaijani Cyrillic (1939–1991)
    ("Həsənov", "Һәсәнов"),
    ("Cavadov", "cavadov"),  # Çavadov typed without an Azerbaijani keyboard
    ("Çavadov", "cavadov"),
    ("Beridze", "ბერიძე"),  # other scripts go through anyascii
]


def finds(typed: str, stored: str) -> bool:
    """What the search does (callcentre.services): each query word at the start of a word of
    the stored key."""
    words = name_words(typed)
    key = name_key(stored)
    return bool(words) and all(f" {word}" in key for word in words)


@pytest.mark.parametrize("spellings", SPELLINGS, ids=lambda spellings: spellings[1])
def test_azerbaijani_passport_and_russian_spellings_meet(spellings):
    assert len({fold(spelling) for spelling in spellings}) == 1, [fold(spelling) for spelling in spellings]
    for typed in spellings:
        for stored in spellings:
            assert finds(typed, stored), (typed, stored)


@pytest.mark.parametrize(("stored", "typed"), VARIANTS, ids=lambda text: text)
def test_other_spellings_meet(stored, typed):
    assert fold(typed) == fold(stored)
    assert finds(typed, stored) and finds(stored, typed)


@pytest.mark.parametrize(("stored", "typed"), WHOLE_NAMES, ids=lambda text: text)
def test_callers_whole_names_find_the_registered_name(stored, typed):
    assert finds(typed, stored)


def test_the_table_has_forty_real_pairs_in_three_scripts():
    pairs = {(a, b) for row in SPELLINGS for a in row for b in row if a < b} | set(VARIANTS)
    assert len(pairs) >= 40


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Əliyev", "Quliyev"),
        ("Əliyev", "Vəliyev"),
        ("Quliyev", "Vəliyev"),
        ("Məmmədov", "Əhmədov"),
        ("Məmmədov", "Məhəmmədov"),
        ("Həsənov", "Hüseynov"),
        ("Həsənova", "Hüseynova"),
        ("Cəfərov", "Qafarov"),
        ("Cəfərov", "Səfərov"),
        ("Kərimov", "Rəhimov"),
        ("Kazımov", "Qasımov"),
        ("Nəsirov", "Nəsibov"),
        ("Əsədov", "Əzizov"),
        ("Hacıyev", "Nağıyev"),
        ("Leyla", "Lalə"),
        ("Günel", "Gülnarə"),
    ],
)
def test_different_names_stay_apart(one, other):
    assert fold(one) != fold(other)
    assert not finds(one, other) and not finds(other, one)


# The fifty commonest surnames (the benchmark's): fifty keys, none the beginning of another
# except its own feminine form, so a surname never brings up a different family.
COMMON_SURNAMES = SURNAMES


def test_common_surnames_keep_their_own_keys():
    keys = {fold(surname): surname for surname in COMMON_SURNAMES}
    assert len(keys) == len(COMMON_SURNAMES) == 50
    for surname in COMMON_SURNAMES:
        for other in COMMON_SURNAMES:
            if other != surname:
                assert not finds(surname, other + "a"), (surname, other)


def test_a_word_is_found_at_its_start_not_inside_another():
    assert finds("ismay", "İsmayılova Aygün")  # the beginning of a word is enough
    assert not finds("aliyev", "Vəliyev Elnur")
    assert not finds("liyev", "Əliyev Elnur")
    assert finds("elnur aliyev", "Əliyev Elnur") and not finds("elnur aliyev", "Əliyev Elvin")


def test_marks_apostrophes_and_other_letters():
    assert fold("O’Neil") == fold("ONeil") == "onail"
    assert fold("Mu\u0308ller") == fold("Müller") == "mular"  # a separate combining mark
    assert fold("Straße") == fold("strasse")
    assert fold("李") == "li"
    assert fold("Ｍａｍｍａｄｏｖ") == fold("Mammadov")  # full-width letters
    assert fold("١٢٣") == "123"  # Arabic-Indic digits


def test_phone_tail_is_the_last_seven_digits():
    assert phone_tail("+994 50 598 19 16") == "5981916"
    assert phone_tail("(012) 404-22-20") == "4042220"
    assert phone_tail("598-19-16") == "5981916"
    assert phone_tail("12-34") == ""
    assert phone_tail("") == ""
