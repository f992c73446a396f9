"""The back-office workflow as staff meet it: register, assign, change status, extend, reopen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from appeals.models import EventKind, Letter
from appeals.statuses import Status
from tests.factories import LetterFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

INLINES = {
    f"{prefix}-{key}": value
    for prefix in ("events", "notifications")
    for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()
}


def registration(**overrides) -> dict:
    data = {
        "received_on": "2026-03-02",
        "kind": "letter",
        "channel": "electronic",
        "subject": "Gömrük rüsumunun qaytarılması",
        "applicant_name": "Rzayev Kamran",
        "applicant_email": "kamran@example.az",
        "applicant_phone": "050-123-45-67",
        "applicant_language": "ru",
        "applicant_notices": "on",
        "department": "",
        "executor": "",
        **INLINES,
    }
    data.update(overrides)
    return data


def details_form(letter, **changes) -> dict:
    """The letter's change form as the page sends it back, with ``changes``."""
    fields = ("kind", "channel", "subject", "applicant_name", "applicant_email", "applicant_phone")
    data = {field: getattr(letter, field) for field in (*fields, "applicant_language")}
    return {**data, "applicant_notices": "on", **INLINES, **changes}


def test_clerk_registers_a_letter_and_sees_its_number(client, world):
    client.force_login(world["users"]["clerk"])
    executor = world["executor"]
    response = client.post(
        "/admin/appeals/letter/add/",
        registration(department=executor.department.pk, executor=executor.pk),
        follow=True,
    )
    assert mail.outbox == []  # the worker sends it, not the clerk's request
    run_tasks()
    letter = Letter.objects.get(applicant_name="Rzayev Kamran")
    html = response.content.decode()
    assert letter.registration_number in html
    assert letter.status == Status.ASSIGNED
    assert [e.kind for e in letter.events.all()] == [EventKind.REGISTRATION, EventKind.ASSIGNMENT]
    assert letter.events.first().actor == world["users"]["clerk"]
    # the applicant's acknowledgement, in their language, with the number and the link
    (message,) = [message for message in mail.outbox if message.to == ["kamran@example.az"]]
    assert letter.registration_number in message.subject
    assert executor.full_name in message.body  # who has it, in the one acknowledgement
    assert f"/ru/track/?number={letter.registration_number}" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert letter.notifications.get(channel="email").delivered
    assert letter.notifications.get(channel="sms").recipient == "+994501234567"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_email", "kamran@example.az\r\nBcc: all@example.az"),
        ("applicant_email", "not-an-address"),
        ("received_on", "2099-01-01"),
        ("received_on", "31.02.2026"),
        ("subject", ""),
    ],
)
def test_bad_registration_input_is_a_form_error_and_nothing_is_saved(client, world, field, value):
    client.force_login(world["users"]["clerk"])
    before = Letter.objects.count()
    response = client.post("/admin/appeals/letter/add/", registration(**{field: value}))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert Letter.objects.count() == before


def test_an_executor_from_another_department_is_refused(client, world):
    client.force_login(world["users"]["clerk"])
    response = client.post(
        "/admin/appeals/letter/add/",
        registration(department=world["sub_department"].pk, executor=world["other_executor"].pk),
    )
    assert response.status_code == 200
    assert not Letter.objects.filter(applicant_name="Rzayev Kamran").exists()


def test_executor_changes_the_status_and_the_citizen_sees_it(client, world):
    letter = world["own"]
    client.force_login(world["users"]["executor"])
    run_tasks()  # what the world's setup sent
    mail.outbox.clear()
    response = client.post(
        f"/admin/appeals/letter/{letter.pk}/status/",
        {"status": "in_progress", "note": "Sənədlər yoxlanılır", "forwarded_to": "", "reason": ""},
    )
    run_tasks()
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Status.IN_PROGRESS
    event = letter.events.last()
    assert (event.to_status, event.public_note, event.actor) == (
        Status.IN_PROGRESS,
        "Sənədlər yoxlanılır",
        world["users"]["executor"],
    )
    public = client.get("/en/track/", {"number": letter.registration_number}).content.decode()
    assert "In progress" in public and "Sənədlər yoxlanılır" in public
    assert len(mail.outbox) == 1 and letter.registration_number in mail.outbox[0].subject


def test_status_form_offers_only_allowed_transitions(client, world):
    client.force_login(world["users"]["executor"])
    html = client.get(f"/admin/appeals/letter/{world['own'].pk}/status/").content.decode()
    assert 'value="in_progress"' in html
    assert 'value="answered"' not in html  # assigned → answered skips the work
    response = client.post(f"/admin/appeals/letter/{world['own'].pk}/status/", {"status": "answered"})
    assert response.status_code == 200
    assert Letter.objects.get(pk=world["own"].pk).status == Status.ASSIGNED


def test_forwarding_needs_the_competent_body(client, world):
    client.force_login(world["users"]["executor"])
    url = f"/admin/appeals/letter/{world['own'].pk}/status/"
    response = client.post(url, {"status": "forwarded", "forwarded_to": " "})
    assert response.status_code == 200
    assert Letter.objects.get(pk=world["own"].pk).status == Status.ASSIGNED
    client.post(url, {"status": "forwarded", "forwarded_to": "Dövlət Vergi Xidməti"})
    letter = Letter.objects.get(pk=world["own"].pk)
    assert (letter.status, letter.forwarded_to) == (Status.FORWARDED, "Dövlət Vergi Xidməti")


def test_leaving_without_consideration_needs_a_public_ground(client, world):
    client.force_login(world["users"]["executor"])
    client.cookies["django_language"] = "en"
    url = f"/admin/appeals/letter/{world['own'].pk}/status/"
    refused = client.post(url, {"status": "left_without_consideration", "reason": "Anonim müraciət"})
    assert refused.status_code == 200
    assert "Choose the ground for leaving the letter without consideration." in refused.content.decode()
    client.post(url, {"status": "left_without_consideration", "ground": "form", "reason": "Anonim müraciət"})
    letter = Letter.objects.get(pk=world["own"].pk)
    assert (letter.non_consideration_ground, letter.closure_reason) == ("form", "Anonim müraciət")
    # The staff's reason stays internal: the public timeline and view never carry it.
    assert "Anonim" not in str(letter.public.data)


def test_head_reassigns_within_the_department_only(client, world):
    client.force_login(world["users"]["head"])
    url = f"/admin/appeals/letter/{world['own'].pk}/assign/"
    refused = client.post(url, {"department": world["other_department"].pk, "executor": ""})
    assert refused.status_code == 200  # not a choice for this head
    assert Letter.objects.get(pk=world["own"].pk).department == world["sub_department"]
    client.post(url, {"department": world["sub_department"].pk, "executor": world["executor"].pk, "note": ""})
    assert world["own"].events.filter(kind=EventKind.ASSIGNMENT).count() == 2


def test_due_date_is_extended_once_with_a_reason(client, world):
    letter = world["own"]
    client.force_login(world["users"]["head"])
    url = f"/admin/appeals/letter/{letter.pk}/extend/"
    ground = "other_body"
    assert client.post(url, {"working_days": 31, "reason": "Ekspertiza", "ground": ground}).status_code == 200
    assert client.post(url, {"working_days": 10, "reason": "", "ground": ground}).status_code == 200
    assert client.post(url, {"working_days": 10, "reason": "Ekspertiza", "ground": ""}).status_code == 200
    assert client.post(url, {"working_days": 10, "reason": "Ekspertiza", "ground": ground}).status_code == 302
    letter.refresh_from_db()
    assert letter.original_due_date is not None
    assert letter.due_date > letter.original_due_date
    assert letter.extension_ground == "other_body"
    assert letter.events.last().kind == EventKind.EXTENSION
    assert client.get(url).status_code == 403  # once only


def test_reopening_is_a_separate_logged_action(client, world):
    letter = world["closed"]
    client.force_login(world["users"]["head"])
    assert client.post(f"/admin/appeals/letter/{letter.pk}/reopen/", {"reason": ""}).status_code == 200
    client.post(f"/admin/appeals/letter/{letter.pk}/reopen/", {"reason": "Yeni sənədlər daxil olub"})
    letter.refresh_from_db()
    assert letter.status == Status.IN_PROGRESS
    event = letter.events.last()
    assert (event.kind, event.from_status, event.actor) == (
        EventKind.REOPENING,
        Status.FORWARDED,
        world["users"]["head"],
    )


def test_detail_edits_are_audited_field_by_field(client, world):
    letter = world["own"]
    client.force_login(world["users"]["clerk"])
    data = details_form(letter, subject="Düzəldilmiş mövzu")
    events = {f"events-{i}-id": e.pk for i, e in enumerate(letter.events.all())}
    data.update(events)
    data.update({f"events-{i}-letter": letter.pk for i in range(len(events))})
    data["events-TOTAL_FORMS"] = data["events-INITIAL_FORMS"] = str(len(events))
    response = client.post(f"/admin/appeals/letter/{letter.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    last = letter.history.first()
    assert last.history_user == world["users"]["clerk"]
    delta = last.diff_against(last.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("subject", "Avtomobilin gömrük rəsmiləşdirilməsi barədə", "Düzəldilmiş mövzu")
    ]
    audit = client.get("/admin/appeals/historicalletter/")
    assert audit.status_code == 403  # clerks do not read the audit log
    client.force_login(world["users"]["supervisor"])
    assert "Düzəldilmiş mövzu" in client.get("/admin/appeals/historicalletter/").content.decode()


def test_registration_number_search_goes_to_the_exact_match(client, world, django_assert_max_num_queries):
    client.force_login(world["users"]["clerk"])
    letter = world["own"]
    typed = letter.registration_number.replace("-", " ")
    html = client.get("/admin/appeals/letter/", {"q": typed}).content.decode()
    assert letter.registration_number in html
    assert world["foreign"].registration_number not in html


def test_admin_search_survives_hostile_input(client, world):
    client.force_login(world["users"]["clerk"])
    for typed in ("%_%", "x" * 5000, "' OR 1=1 --"):
        assert client.get("/admin/appeals/letter/", {"q": typed}).status_code == 200
    assert client.get("/admin/appeals/letter/", {"q": "\x00"}).status_code == 400


def test_overdue_filter(client, world):
    Letter.objects.filter(pk=world["own"].pk).update(due_date=dt.date(2020, 1, 1))
    Letter.objects.filter(pk=world["foreign"].pk).update(due_date=dt.date(2099, 1, 1))
    client.force_login(world["users"]["supervisor"])
    html = client.get("/admin/appeals/letter/", {"overdue": "yes"}).content.decode()
    assert world["own"].registration_number in html
    assert world["foreign"].registration_number not in html


def test_letter_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["users"]["supervisor"])
    client.get("/admin/appeals/letter/")  # warm caches (permissions, content types)
    with django_assert_max_num_queries(12) as few:
        client.get("/admin/appeals/letter/")
    LetterFactory.create_batch(30, executor=world["executor"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/appeals/letter/")


def test_the_letter_page_checks_who_may_see_the_letter_once(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["users"]["executor"])
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/admin/appeals/letter/{world['own'].pk}/change/").status_code == 200
    checks = [q for q in page.captured_queries if q["sql"].startswith('SELECT 1 AS "a" FROM "appeals_letter"')]
    assert len(checks) == 1
    # remembered per request and per letter: another letter is still refused
    assert client.get(f"/admin/appeals/letter/{world['foreign'].pk}/change/").status_code != 200


def test_supervisor_browses_the_lookup_log_by_outcome(client, world):
    from appeals.models import LookupLog

    LookupLog.objects.create(outcome="checksum", language="az", number="")
    LookupLog.objects.create(outcome="found", language="ru", number="2026-000001-5")
    client.force_login(world["users"]["supervisor"])
    html = client.get("/admin/appeals/lookuplog/", {"outcome__exact": "found"}).content.decode()
    assert "2026-000001-5" in html


def test_a_department_cannot_become_its_own_ancestor(admin_client):
    from appeals.models import Department

    top = Department.objects.create(code="TOP", name_az="Baş idarə")
    child = Department.objects.create(code="CHILD", name_az="Şöbə", parent=top)
    for department, parent in ((top, top), (top, child)):
        response = admin_client.post(
            f"/admin/appeals/department/{department.pk}/change/",
            {"code": department.code, "name_az": department.name_az, "parent": parent.pk},
        )
        assert response.status_code == 200  # the form again, with the error on the parent field
        assert response.context["adminform"].form.errors["parent"]
    top.refresh_from_db()
    assert top.parent_id is None


def test_a_cycle_already_in_the_data_does_not_hang_the_department_tree():
    from appeals import access
    from appeals.models import Department

    first = Department.objects.create(code="A", name_az="A")
    second = Department.objects.create(code="B", name_az="B", parent=first)
    Department.objects.filter(pk=first.pk).update(parent=second)  # as a slip in the database would
    assert sorted(access.department_tree_ids(first)) == sorted([first.pk, second.pk])


def test_the_status_form_offers_only_the_fields_that_can_apply(client, world):
    """From assigned a letter can start work, be forwarded or be left without consideration:
    no answer fields; each closing field says (for the script) which status it is about."""
    client.force_login(world["users"]["executor"])
    html = client.get(f"/admin/appeals/letter/{world['own'].pk}/status/").content.decode()
    assert 'name="answer_channel"' not in html and 'name="outgoing_number"' not in html
    assert 'data-statuses="forwarded"' in html and 'data-statuses="left_without_consideration"' in html
    assert "appeals/workflow.js" in html


def test_registering_shows_no_empty_history_and_the_history_rows_read_as_events(admin_client, world):
    add = admin_client.get("/admin/appeals/letter/add/").content.decode()
    assert 'id="events-group"' not in add and "inline-group" not in add
    change = admin_client.get(f"/admin/appeals/letter/{world['own'].pk}/change/").content.decode()
    assert "inline-group" in change  # the tables are there once the letter has a history
    assert "∅" not in change and " · " in change
