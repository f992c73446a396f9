"""The public read model: written with every change that alters what the public sees, read by
the lookup in one query, and never holding anything private."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.db import transaction

from appeals import services
from appeals.models import Kind, Letter, PublicLetter
from appeals.statuses import Status
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Əliyeva Leyla Rauf qızı",
    "leyla.aliyeva@example.az",
    "123 45 67",
    "Avtomobilin gömrük",  # the subject
    "Daxili ekspertiza",  # the extension reason
    "Rəisin göstərişi",  # the reopening reason (a staff note)
)


def public_data(letter: Letter) -> dict:
    return PublicLetter.objects.get(letter=letter).data


def worked_letter() -> Letter:
    """A letter that went through every kind of change, with private details everywhere."""
    executor = ExecutorFactory()
    letter = LetterFactory(executor=executor, applicant_name="Əliyeva Leyla Rauf qızı")
    letter = services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Sənədlər yoxlanılır.")
    letter = services.extend_due_date(
        letter=letter, working_days=5, reason="Daxili ekspertiza gözlənilir", ground="more_information"
    )
    letter = services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti")
    return services.reopen_letter(letter=letter, actor=None, reason="Rəisin göstərişi ilə")


def test_the_read_model_follows_every_change_and_holds_nothing_private():
    letter = worked_letter()
    data = public_data(letter)
    assert data["status"] == Status.IN_PROGRESS
    assert data["due_date"] == letter.due_date.isoformat()
    assert data["original_due_date"] == letter.original_due_date.isoformat()
    assert [event["kind"] for event in data["timeline"]] == [
        "registration",
        "assignment",
        "status",
        "extension",
        "status",
        "reopening",
    ]
    assert data["timeline"][2]["note"] == "Sənədlər yoxlanılır."
    assert data["executor"]["name"] == letter.executor.full_name
    assert set(data["department"]["name"]) == {"az", "ru", "en"}
    stored = json.dumps(data, ensure_ascii=False)
    for private in PRIVATE:
        assert private not in stored


def test_a_rolled_back_change_leaves_the_read_model_as_it_was():
    letter = LetterFactory(executor=ExecutorFactory())
    before = public_data(letter)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
        raise RuntimeError
    assert public_data(letter) == before


def test_corrected_details_show_in_the_read_model():
    letter = LetterFactory(kind=Kind.REQUEST)
    services.update_letter_details(letter=letter, kind=Kind.LETTER)
    assert public_data(letter)["kind"] == Kind.LETTER


def test_a_renamed_department_shows_on_its_letters_and_in_their_timelines(client):
    old, new = DepartmentFactory(), DepartmentFactory()
    moved = services.assign_letter(letter=LetterFactory(department=old), department=new, executor=None)
    stays = LetterFactory(department=old)
    other = LetterFactory(department=new)
    old.name_en = "Renamed Section"
    old.save()
    assert services.public_directory_changed(department=old) == 2  # the two that show it
    assert public_data(stays)["department"]["name"]["en"] == "Renamed Section"
    assert [event["department"] and event["department"]["en"] for event in public_data(moved)["timeline"]] == [
        "Renamed Section",
        new.name_en,
    ]
    assert "Renamed Section" not in json.dumps(public_data(other))
    html = client.get("/en/track/", {"number": moved.registration_number}).content.decode()
    assert "Renamed Section" in html


def test_a_rephoned_executor_shows_through_the_admin(admin_client, client):
    executor = ExecutorFactory(phone="+994 12 404 22 21")
    letter = LetterFactory(executor=executor)
    response = admin_client.post(
        f"/admin/appeals/executor/{executor.pk}/change/",
        {
            "full_name": executor.full_name,
            "position_az": executor.position_az,
            "position_ru": "",
            "position_en": "",
            "phone": "+994 12 404 99 99",
            "department": executor.department_id,
            "is_active": "on",
            "language": "az",
        },
    )
    assert response.status_code == 302
    assert "+994 12 404 99 99" in client.get("/az/track/", {"number": letter.registration_number}).content.decode()


def test_the_lookup_reads_one_row_whatever_the_history(client, django_assert_num_queries):
    letter = worked_letter()
    before_due = mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 20))
    client.get("/en/track/", {"number": "2026-000009-9"})  # a session's first lookup prepares it (PostgreSQL)
    with before_due, django_assert_num_queries(1):  # the read model and the log row, one statement
        response = client.get("/en/track/", {"number": letter.registration_number})
    html = response.content.decode()
    assert response.status_code == 200 and "Reopened" in html and "Due date extended" in html
    for private in PRIVATE:
        assert private not in html


@pytest.fixture
def redis_db(settings):
    import redis

    settings.REDIS_URL = "redis://127.0.0.1:6379/11"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip("needs the Redis server at 127.0.0.1:6379")
    yield client
    client.flushdb()


def test_redis_holds_no_applicant_data_after_a_run_of_lookups(client, redis_db):
    letter = worked_letter()
    for number in (letter.registration_number, "2026-000999-7", "hello", letter.registration_number):
        client.get("/az/track/", {"number": number})
    keys = redis_db.keys("*")
    assert keys, "the rate limit counted nothing in Redis"
    assert all(key.startswith(b"ratelimit:") for key in keys)
    everything = b" ".join(key + b" " + redis_db.get(key) for key in keys).decode()
    for private in (*PRIVATE, "Sənədlər", letter.executor.full_name, letter.registration_number, "127.0.0.1"):
        assert private not in everything
