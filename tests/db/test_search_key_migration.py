"""Migration 0025 recomputes the search keys of the letters already registered, range by range."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from appeals.models import Letter
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("appeals.migrations.0025_sound_search_keys_and_phone_tail")


def test_the_keys_of_existing_letters_are_refolded_and_given_a_phone_tail(monkeypatch):
    monkeypatch.setattr(migration, "CHUNK", 2)  # several ranges, one of them partly empty
    letters = [
        LetterFactory(applicant_name="Məmmədov Rəşad", applicant_phone="+994 50 598 19 16"),
        LetterFactory(applicant_name="Həsənova Leyla", applicant_phone=""),
        LetterFactory(applicant_name="İsmayılova Aygün", applicant_phone="(055) 987-65-43"),
    ]
    letters[1].delete()
    migration.backwards(apps, None)  # the keys as migration 0006 left them
    assert list(Letter.objects.order_by("pk").values_list("applicant_search_key", "applicant_phone_tail")) == [
        (" memmedov resad ", ""),
        (" ismayilova aygun ", ""),
    ]
    migration.forwards(apps, None)
    assert list(Letter.objects.order_by("pk").values_list("applicant_search_key", "applicant_phone_tail")) == [
        (" mamadov rasad ", "5981916"),
        (" ismailova aikun ", "9876543"),
    ]


def test_no_letters_no_work():
    migration.forwards(apps, None)
    assert not Letter.objects.exists()
