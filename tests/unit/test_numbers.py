"""The registration-number module: Damm, formatting, forgiving normalisation, error kinds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appeals.numbers import (
    InvalidNumber,
    NumberProblem,
    RegistrationNumber,
    damm_check_digit,
    damm_is_valid,
    format_registration_number,
    normalise_registration_number,
)


def test_damm_textbook_example():
    assert damm_check_digit("572") == 4
    assert damm_is_valid("5724")
    assert not damm_is_valid("5723")


def test_product_example():
    assert damm_check_digit("2026000042") == 6
    assert format_registration_number(2026, 42) == "2026-000042-6"


def test_sequence_may_grow_past_six_digits():
    number = RegistrationNumber(2026, 1234567)
    assert number.canonical == f"2026-1234567-{damm_check_digit('20261234567')}"
    assert normalise_registration_number(number.canonical) == number


@pytest.mark.parametrize(
    "typed",
    [
        "2026-000042-6",
        "2026 000042 6",
        "  2026  000042  6  ",
        "20260000426",
        "dgk-2026-42-6",
        "DGK 2026-000042-6",
        "Dgk2026000042-6",
        "2026–000042–6",  # en dash
        "2026—000042—6",  # em dash
        "2026−000042−6",  # minus sign
        "2026/000042/6",
        "2026.000042.6",
        "2026 0000426",
        "2026000042 6",
        "２０２６－００００４２－６",  # full-width digits and dash
        "٢٠٢٦-٠٠٠٠٤٢-٦",  # Arabic-Indic digits
        "۲۰۲۶-۰۰۰۰۴۲-۶",  # Extended Arabic-Indic (Persian) digits
        "2026-0000000042-6",  # extra leading zeros in the sequence
        "\t2026-000042-6\n",
        "2026 000 042 6",  # as the Call Centre reads it aloud
        "2026 · 000 042 · 6",
        "2026-000 042-6",
    ],
)
def test_forgiving_forms_normalise_to_the_canonical_number(typed):
    assert normalise_registration_number(typed).canonical == "2026-000042-6"


@pytest.mark.parametrize("typed", [None, "", "   ", "\t\n", "\u3000"])
def test_nothing_typed_is_empty(typed):
    with pytest.raises(InvalidNumber) as error:
        normalise_registration_number(typed)
    assert error.value.kind is NumberProblem.EMPTY


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "2026",
        "2026-42",
        "202600004",  # too short without separators
        "26-000042-6",  # two-digit year
        "2026-000042-66",  # two check digits
        "2026-0000000000042-6" + "1",  # too long
        "2026-1234567890-1",  # ten significant digits
        "2026-000042-6 ; DROP TABLE appeals_letter",
        "<script>alert(1)</script>",
        "x" * 10_000,
        "2026\x00000042-6",
        "2026-000042-6🙂",
        "\u202e6-240000-6202",  # right-to-left override
        "DGKDGK-2026-000042-6",
        "2026--000042--6-1",
        "№№ 2026-000042-6",  # one numero sign, as printed; "№ 2026-000042-6" is accepted (product.md)
    ],
)
def test_wrong_shape_is_malformed(typed):
    with pytest.raises(InvalidNumber) as error:
        normalise_registration_number(typed)
    assert error.value.kind is NumberProblem.MALFORMED


@pytest.mark.parametrize("typed", ["2026-000042-7", "2026-000024-6", "2062-000042-6", "20260000427"])
def test_wrong_digit_is_a_checksum_error(typed):
    with pytest.raises(InvalidNumber) as error:
        normalise_registration_number(typed)
    assert error.value.kind is NumberProblem.CHECKSUM


def test_a_number_from_another_year_is_well_formed():
    assert normalise_registration_number(format_registration_number(2019, 7)).year == 2019


numbers = st.builds(RegistrationNumber, st.integers(2000, 2099), st.integers(1, 999_999))


@given(numbers)
def test_every_canonical_number_round_trips(number):
    assert normalise_registration_number(number.canonical) == number
    assert normalise_registration_number(number.canonical.replace("-", "")) == number


@given(numbers, st.data())
def test_every_single_digit_error_is_caught(number, data):
    digits = number.canonical.replace("-", "")
    position = data.draw(st.integers(0, len(digits) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[position]]))
    typo = digits[:position] + wrong + digits[position + 1 :]
    assert not damm_is_valid(typo)
    with pytest.raises(InvalidNumber) as error:
        normalise_registration_number(typo)
    assert error.value.kind is NumberProblem.CHECKSUM


@given(numbers, st.data())
def test_every_adjacent_transposition_is_caught(number, data):
    digits = number.canonical.replace("-", "")
    position = data.draw(st.integers(0, len(digits) - 2))
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
    if swapped == digits:  # two equal digits: nothing was transposed
        return
    assert not damm_is_valid(swapped)


def test_exhaustive_single_errors_and_transpositions_over_a_year_block():
    """Not a sample: every single-digit error and every adjacent swap of 2,000 numbers."""
    for sequence in range(1, 2001):
        digits = RegistrationNumber(2026, sequence).canonical.replace("-", "")
        for position, original in enumerate(digits):
            for replacement in "0123456789":
                if replacement != original:
                    assert not damm_is_valid(digits[:position] + replacement + digits[position + 1 :])
            if position + 1 < len(digits) and digits[position] != digits[position + 1]:
                swapped = digits[:position] + digits[position + 1] + original + digits[position + 2 :]
                assert not damm_is_valid(swapped)


@pytest.mark.parametrize(
    "typed",
    [
        *("№ 2026-000004-4", "№2026-000004-4", "No. 2026-000004-4", "no 2026 000004 4", "N 2026-000004-4"),
        *("N2026-4-4", "Nº 2026-000004-4", "DGK № 2026-000004-4", "№ DGK-2026-000004-4", "dgk-2026-4-4"),
    ],
)
def test_numero_and_dgk_prefixes_as_printed_on_paper_are_accepted(typed):
    assert normalise_registration_number(typed).canonical == "2026-000004-4"


@pytest.mark.parametrize("typed", ["No", "№", "N", "DGK", "Nope 2026-000004-4", "NN 2026-000004-4x"])
def test_a_prefix_alone_or_a_word_is_still_not_a_number(typed):
    with pytest.raises(InvalidNumber):
        normalise_registration_number(typed)
