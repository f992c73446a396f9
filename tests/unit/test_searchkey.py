"""Folding names, phones and e-mails the way operators type them."""

from __future__ import annotations

import pytest

from appeals.numbers import spoken_groups
from appeals.searchkey import email_key, fold, looks_like_phone, name_key, name_words, phone_key
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
    assert name_key("Həsənova  Leyla-Rauf qızı") == " hesenova leyla rauf qizi "
    assert name_key("") == ""


def test_short_words_are_not_searched_by():
    assert name_words("Əli A. Məmmədov") == ["eli", "memmedov"]
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
        ("Leyla Həsənova", QueryKind.NAME, "leyla hesenova"),
        ("100%_off", QueryKind.NAME, "100 off"),
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
