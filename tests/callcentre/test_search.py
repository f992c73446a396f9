"""The Call Centre search page as an operator uses it."""

from __future__ import annotations

import pytest
from django.db import connection

from appeals.models import Letter
from appeals.roles import Role
from callcentre.models import AccessAction, OperatorAccess
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(make_staff):
    return make_staff(Role.CALL_CENTRE_OPERATOR)


@pytest.fixture
def letters():
    executor = ExecutorFactory()
    return {
        "leyla": LetterFactory(
            applicant_name="Həsənova Leyla Rauf qızı",
            applicant_phone="+994 50 123 45 67",
            applicant_email="Leyla.Hasanova@example.az",
            executor=executor,
        ),
        "aygun": LetterFactory(
            applicant_name="İsmayılova Aygün", applicant_phone="(055) 987-65-43", applicant_email=""
        ),
        "elvin": LetterFactory(applicant_name="Əliyev Elvin 100%_off", applicant_phone="", applicant_email=""),
    }


def search(client, q, language="az", **filters):
    return client.get(f"/{language}/callcentre/", {"q": q, **filters})


@pytest.mark.parametrize("language", ["az", "ru", "en"])
@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("leyla hesenova", "leyla"),
        ("Həsənova Leyla", "leyla"),
        ("HESENOVA", "leyla"),
        ("ismayilova", "aygun"),
        ("ISMAYILOVA", "aygun"),
        ("eliyev", "elvin"),
        ("+994 50 123 45 67", "leyla"),
        ("050-123-45-67", "leyla"),
        ("0501234567", "leyla"),
        ("0559876543", "aygun"),
        ("leyla.hasanova@EXAMPLE.az", "leyla"),
    ],
)
def test_operator_finds_a_letter_by_what_the_caller_says(client, operator, letters, language, typed, who):
    client.force_login(operator)
    response = search(client, typed, language)
    html = response.content.decode()
    assert response.status_code == 200
    assert letters[who].registration_number in html
    others = [letter for name, letter in letters.items() if name != who]
    assert all(other.registration_number not in html for other in others)
    assert f'<html lang="{language}">' in html


def test_the_number_in_any_forgiving_form(client, operator, letters):
    client.force_login(operator)
    letter = letters["aygun"]
    html = search(client, letter.registration_number.replace("-", " ")).content.decode()
    assert letter.registration_number_spoken in html


def test_percent_and_underscore_are_literal(client, operator, letters):
    client.force_login(operator)
    html = search(client, "100%_off").content.decode()
    assert letters["elvin"].registration_number in html
    assert letters["leyla"].registration_number not in html


@pytest.mark.parametrize("typed", ["", "a", "%", "_", "?!.", "x" * 10_000, "\x00", "2026-000001-4"])
def test_bad_input_gets_a_message_not_a_500(client, operator, letters, typed):
    client.force_login(operator)
    response = search(client, typed, "en")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_nul_bytes_are_dropped_not_fatal(client, operator, letters):
    client.force_login(operator)
    response = search(client, "isma\x00yilova")
    assert response.status_code == 200
    assert letters["aygun"].registration_number in response.content.decode()


def test_filters(client, operator, letters):
    client.force_login(operator)
    department = letters["leyla"].department
    html = search(client, "hesenova", department=department.pk, status="assigned").content.decode()
    assert letters["leyla"].registration_number in html
    html = search(client, "hesenova", status="answered").content.decode()
    assert letters["leyla"].registration_number not in html
    response = search(client, "hesenova", received_from="2026-05-01", received_to="2026-04-01")
    assert response.status_code == 400


def test_results_are_paginated_most_recent_first(client, operator):
    import datetime as dt

    for day in range(1, 26):
        LetterFactory(applicant_name="Quliyev Tural", received_on=dt.date(2026, 4, day))
    client.force_login(operator)
    first = search(client, "quliyev").content.decode()
    assert first.count("Quliyev Tural") == 20
    assert first.index("25.04.2026") < first.index("24.04.2026")
    assert "page=2" in first
    second = client.get("/az/callcentre/", {"q": "quliyev", "page": "2"}).content.decode()
    assert second.count("Quliyev Tural") == 5


def test_every_search_and_every_opened_letter_is_recorded(client, operator, letters):
    client.force_login(operator)
    search(client, "ismayilova")
    letter = letters["aygun"]
    response = client.get(f"/az/callcentre/letters/{letter.registration_number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "İsmayılova Aygün" in html and letter.registration_number_spoken in html
    searched, opened = OperatorAccess.objects.order_by("pk")
    assert (searched.user, searched.action, searched.query, searched.result_count) == (
        operator,
        AccessAction.SEARCH,
        "ismayilova",
        1,
    )
    assert (opened.action, opened.letter) == (AccessAction.OPEN, letter)


def test_an_unknown_letter_is_a_404(client, operator):
    client.force_login(operator)
    assert client.get("/az/callcentre/letters/2026-000999-7/").status_code == 404
    assert client.get("/az/callcentre/letters/junk/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("operator", 200),
        ("supervisor", 200),
        ("administrator", 200),
        ("admin", 200),
        ("clerk", 403),
        ("executor", 403),
        ("head", 403),
    ],
)
def test_who_may_use_the_search(client, world, role, expected):
    client.force_login(world["users"][role])
    assert client.get("/en/callcentre/", {"q": "hesenova"}).status_code == expected


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get("/ru/callcentre/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/?next=")


def test_the_operator_signs_in_and_lands_on_the_search(client, operator):
    response = client.post("/az/accounts/login/", {"username": operator.username, "password": "x-password-123"})
    assert response.status_code == 302
    assert response["Location"] == "/az/callcentre/"


def test_operators_have_no_admin(client, operator):
    client.force_login(operator)
    assert client.get("/admin/").status_code == 302  # to the admin login: not staff


def test_search_costs_a_fixed_number_of_queries(client, operator, letters, django_assert_num_queries):
    client.force_login(operator)
    search(client, "hesenova")  # warm the permission cache of this request path
    LetterFactory.create_batch(10, applicant_name="Həsənova Nigar")
    # session, user, permissions (2), the page of letters, the access-log insert,
    # the departments of the filter's drop-down: the same however many letters match
    with django_assert_num_queries(7):
        assert search(client, "hesenova").status_code == 200


@pytest.mark.postgres
def test_name_search_uses_the_trigram_index(letters):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    from callcentre.query import classify
    from callcentre.services import search_letters

    queryset = search_letters(classify("hesenova leyla"))
    with connection.cursor() as cursor:
        # A tiny table is cheaper to scan whole; make the planner show what it does at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "letter_search_key_trgm" in plan, plan
    phone_plan = search_letters(classify("0501234567")).explain()
    assert "letter_phone_key" in phone_plan or "Seq Scan" not in phone_plan


def test_search_keys_follow_edits_of_the_applicant(letters):
    from appeals import services

    letter = services.update_letter_details(letter=letters["aygun"], applicant_name="Cəfərova Aygün")
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.applicant_search_key == " jafarova aikun "
    assert (letter.applicant_phone_key, letter.applicant_phone_tail) == ("559876543", "9876543")
    letter = services.update_letter_details(letter=letter, applicant_phone="+994 50 598 19 16")
    assert Letter.objects.get(pk=letter.pk).applicant_phone_tail == "5981916"


@pytest.fixture
def namesakes():
    """Callers who spell their names as their passport does, or as a Russian speaker writes them,
    and the people with names close to theirs whom the search must not bring up instead."""
    return {
        "mammadov": LetterFactory(applicant_name="Məmmədov Rəşad Əli oğlu", applicant_phone="+994 50 598 19 16"),
        "ahmadov": LetterFactory(applicant_name="Əhmədov Rəşad", applicant_phone="+994 55 598 19 17"),
        "aliyev": LetterFactory(applicant_name="Əliyev Elnur", applicant_phone=""),
        "valiyev": LetterFactory(applicant_name="Vəliyev Elnur", applicant_phone=""),
        "hasanova": LetterFactory(applicant_name="Həsənova Günel Rauf qızı", applicant_phone="(012) 404-22-20"),
        "huseynova": LetterFactory(applicant_name="Hüseynova Günel", applicant_phone=""),
        "jafarova": LetterFactory(applicant_name="Cəfərova Leyla", applicant_phone=""),
        "safarova": LetterFactory(applicant_name="Səfərova Leyla", applicant_phone=""),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Mammadov", "mammadov"),
        ("Mamedov Rashad", "mammadov"),
        ("Мамедов", "mammadov"),
        ("Рашад Мамедов", "mammadov"),
        ("Aliyev", "aliyev"),
        ("Алиев Эльнур", "aliyev"),
        ("eliyev elnur", "aliyev"),
        ("Гасанова", "hasanova"),
        ("Hasanova Gunel", "hasanova"),
        ("Guseynova", "huseynova"),
        ("Jafarova", "jafarova"),
        ("Джафарова Лейла", "jafarova"),
        ("598-19-16", "mammadov"),
        ("5981916", "mammadov"),
        ("598 19 16", "mammadov"),
        ("+994 50 598 19 16", "mammadov"),
        ("404-22-20", "hasanova"),
        ("(012) 404-22-20", "hasanova"),
    ],
)
def test_operator_finds_a_caller_whatever_the_spelling(client, operator, namesakes, typed, who):
    client.force_login(operator)
    response = search(client, typed, "ru")
    assert response.status_code == 200
    html = response.content.decode()
    found = {name for name, letter in namesakes.items() if letter.registration_number in html}
    assert found == {who}


@pytest.mark.parametrize("typed", ["Мамедов Рашад", "598-19-16"])
def test_transliterated_and_phone_tail_searches_cost_a_fixed_number_of_queries(
    client, operator, namesakes, django_assert_num_queries, typed
):
    client.force_login(operator)
    search(client, typed)  # warm the permission cache of this request path
    LetterFactory.create_batch(10, applicant_name="Mammadov Rashad", applicant_phone="+994 70 598 19 16")
    with django_assert_num_queries(7):  # as test_search_costs_a_fixed_number_of_queries
        html = search(client, typed).content.decode()
    assert html.count("Mammadov Rashad") == 10


@pytest.mark.postgres
def test_phone_tail_search_uses_its_index(namesakes):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    from callcentre.query import classify
    from callcentre.services import search_letters

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_letters(classify("598-19-16")).explain()
    assert "letter_phone_tail" in plan, plan
