"""import_letters keeps the Call Centre's phone keys in step, the last seven digits among them."""

from __future__ import annotations

import pytest

from appeals.models import Letter
from callcentre.query import classify
from callcentre.services import search_letters
from tests.imports.test_import_letters import N42, row, run, write

pytestmark = pytest.mark.django_db


def test_created_and_updated_letters_are_found_by_their_last_seven_digits(tmp_path):
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")]))
    letter = Letter.objects.get()
    assert (letter.applicant_phone_key, letter.applicant_phone_tail) == ("501112233", "1112233")
    assert list(search_letters(classify("111-22-33"))) == [letter]

    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", applicant_phone="055 598 19 16")]))
    letter.refresh_from_db()
    assert (letter.applicant_phone_key, letter.applicant_phone_tail) == ("555981916", "5981916")
    assert list(search_letters(classify("598-19-16"))) == [letter]
    assert not search_letters(classify("111-22-33")).exists()
