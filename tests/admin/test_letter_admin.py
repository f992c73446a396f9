"""The admin registers and updates letters through the services, so every change is recorded."""

from __future__ import annotations

import pytest

from appeals.models import EventKind, Letter
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db


def letter_form(**overrides) -> dict:
    data = {
        "received_on": "2026-03-02",
        "kind": "letter",
        "channel": "post",
        "subject": "Gömrük rüsumunun qaytarılması",
        "applicant_name": "Rzayev Kamran",
        "applicant_email": "",
        "applicant_phone": "050-123-45-67",
        "applicant_language": "az",
        "department": "",
        "executor": "",
        "status": "registered",
        "note": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_registering_in_the_admin_assigns_a_number_and_says_it(admin_client):
    executor = ExecutorFactory()
    response = admin_client.post(
        "/admin/appeals/letter/add/",
        letter_form(department=executor.department.pk, executor=executor.pk),
        follow=True,
    )
    letter = Letter.objects.get()
    assert letter.registration_number == "2026-000001-5"
    assert letter.status == Status.ASSIGNED
    assert "2026-000001-5" in response.content.decode()
    assert [e.kind for e in letter.events.all()] == [EventKind.REGISTRATION, EventKind.ASSIGNMENT]
    assert letter.events.first().actor.username == "admin"


def test_a_status_change_in_the_admin_is_recorded_with_its_note(admin_client):
    executor = ExecutorFactory()
    letter = LetterFactory(executor=executor)
    admin_client.post(
        f"/admin/appeals/letter/{letter.pk}/change/",
        letter_form(
            department=executor.department.pk,
            executor=executor.pk,
            status="in_progress",
            note="Sənədlər yoxlanılır",
            **{"events-TOTAL_FORMS": "2", "events-INITIAL_FORMS": "2"},
            **{"events-0-id": letter.events.all()[0].pk, "events-0-letter": letter.pk},
            **{"events-1-id": letter.events.all()[1].pk, "events-1-letter": letter.pk},
        ),
    )
    letter.refresh_from_db()
    assert letter.status == Status.IN_PROGRESS
    last = letter.events.last()
    assert (last.to_status, last.public_note) == (Status.IN_PROGRESS, "Sənədlər yoxlanılır")


def test_a_forbidden_transition_is_a_form_error_and_nothing_changes(admin_client):
    letter = LetterFactory()
    response = admin_client.post(
        f"/admin/appeals/letter/{letter.pk}/change/",
        letter_form(
            status="answered",
            **{"events-TOTAL_FORMS": "1", "events-INITIAL_FORMS": "1"},
            **{"events-0-id": letter.events.get().pk, "events-0-letter": letter.pk},
        ),
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.REGISTERED
    assert letter.events.count() == 1


def test_lookup_log_cannot_be_edited_in_the_admin(admin_client):
    assert admin_client.get("/admin/appeals/lookuplog/add/").status_code == 403
