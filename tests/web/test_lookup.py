"""The public lookup as a citizen meets it: result, errors in every language, the log, no leaks."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from unittest import mock

import pytest
from django.db import connection
from django.utils import translation

from appeals import lookup, services
from appeals.forms import MESSAGES
from appeals.models import LookupLog, LookupOutcome
from appeals.numbers import format_registration_number
from appeals.statuses import EXPLANATIONS, Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["az", "ru", "en"]


@pytest.fixture
def letter():
    executor = ExecutorFactory(full_name="Məmmədova Aygün", phone="+994 12 404 22 21")
    letter = LetterFactory(executor=executor, applicant_name="Əliyeva Leyla Rauf qızı")
    return services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Sənədlər yoxlanılır.")


# The fixtures' letters are registered on 2 March 2026 and due on 2 April: a day before that.
BEFORE_DUE = mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 20))


def track(client, language: str, number: str):
    return client.get(f"/{language}/track/", {"number": number})


def translated(language: str, text) -> str:
    with translation.override(language):
        return str(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_result_page_shows_what_the_product_promises(client, letter, language):
    response = track(client, language, letter.registration_number)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert letter.registration_number in html
    assert "Məmmədova Aygün" in html
    assert 'href="tel:+994124042221"' in html
    assert letter.department.localized("name") in html if language == "az" else True
    with translation.override(language):
        assert letter.department.name in html
        assert letter.executor.position in html
        assert str(Status.IN_PROGRESS.label) in html
        assert str(EXPLANATIONS[Status.IN_PROGRESS]) in html
    assert "Sənədlər yoxlanılır." in html  # the public note in the timeline
    assert letter.due_date.strftime("%d.%m.%Y") in html
    assert letter.received_on.strftime("%d.%m.%Y") in html


def test_department_and_position_follow_the_page_language(client, letter):
    assert letter.department.name_ru in track(client, "ru", letter.registration_number).content.decode()
    assert "Chief specialist" in track(client, "en", letter.registration_number).content.decode()
    assert "Baş mütəxəssis" in track(client, "az", letter.registration_number).content.decode()


def test_timeline_lists_every_status_change_in_order(client, letter):
    html = track(client, "en", letter.registration_number).content.decode()
    html = html[html.index('class="timeline"') :]
    positions = [html.index(label) for label in ("Registered", "Assigned to an executor", "In progress")]
    assert positions == sorted(positions)


def test_forgiving_input_finds_the_letter(client, letter):
    sequence = letter.registration_sequence
    check = letter.registration_number[-1]
    for typed in (f"dgk-2026-{sequence}-{check}", letter.registration_number.replace("-", " ")):
        assert track(client, "az", typed).status_code == 200


def test_no_applicant_data_on_the_public_page(client, letter):
    html = track(client, "az", letter.registration_number).content.decode()
    for private in (letter.applicant_name, "Əliyeva Leyla", letter.applicant_email, "123 45 67", letter.subject):
        assert private not in html


ERROR_CASES = [
    ("", LookupOutcome.EMPTY, 400),
    ("   ", LookupOutcome.EMPTY, 400),
    ("hello", LookupOutcome.MALFORMED, 400),
    ("2026-000001-4", LookupOutcome.CHECKSUM, 400),
    (format_registration_number(2026, 999), LookupOutcome.NOT_FOUND, 404),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("typed", "outcome", "status"), ERROR_CASES)
def test_every_error_kind_has_its_own_message_in_every_language(client, letter, language, typed, outcome, status):
    response = track(client, language, typed)
    assert response.status_code == status
    html = response.content.decode()
    message = translated(language, MESSAGES[outcome])
    if language != "en":
        assert message != translated("en", MESSAGES[outcome]), "message not translated"
    assert html.count(message) == 2  # in the error summary and beside the field
    assert 'href="#id_number"' in html  # the summary links to the field
    assert 'aria-invalid="true"' in html
    assert LookupLog.objects.get().outcome == outcome


def test_the_typed_value_is_kept_escaped(client, letter):
    response = track(client, "en", '<script>alert("x")</script>')
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert" not in html
    # The field shows what was typed, escaped (any escaping of the quotes will do).
    typed = re.search(r'<input type="text" name="number" id="id_number" value="([^"]*)"', html).group(1)
    assert "<" not in typed and '"' not in typed
    assert htmllib.unescape(typed) == '<script>alert("x")</script>'


@pytest.mark.parametrize(
    "typed",
    [
        "x" * 10_000,
        "2026\x00000001-5",
        "🙂🙂🙂",
        "\u202e5-100000-6202",
        "' OR 1=1 --",
        "2026-000001-5'; DROP TABLE appeals_letter; --",
        "<b>2026</b>",
        "٢٠٢٦",
    ],
)
def test_hostile_input_gets_a_message_never_a_500(client, letter, typed):
    response = track(client, "az", typed)
    assert response.status_code == 400
    assert translated("az", MESSAGES[LookupOutcome.MALFORMED]) in response.content.decode()
    assert len(response.content) < 40_000


def test_repeated_parameter_uses_the_last_value(client, letter):
    response = client.get(f"/en/track/?number=junk&number={letter.registration_number}")
    assert response.status_code == 200


def test_track_without_a_number_shows_the_form_and_logs_nothing(client):
    response = client.get("/en/track/")
    assert response.status_code == 200
    assert 'name="number"' in response.content.decode()
    assert not LookupLog.objects.exists()


def test_every_lookup_writes_one_log_row(client, letter):
    track(client, "ru", letter.registration_number)
    track(client, "en", "2026-000001-4")
    rows = list(LookupLog.objects.order_by("occurred_at", "pk"))
    assert [(r.outcome, r.language, r.number) for r in rows] == [
        (LookupOutcome.FOUND, "ru", letter.registration_number),
        (LookupOutcome.CHECKSUM, "en", ""),
    ]
    assert rows[0].letter == letter
    assert rows[0].client_hash and "127.0.0.1" not in rows[0].client_hash


def test_proxy_header_is_ignored_unless_a_proxy_is_trusted(client, letter, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.get("/az/track/", {"number": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    settings.TRUSTED_PROXY_COUNT = 1
    client.get("/az/track/", {"number": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    direct, proxied = LookupLog.objects.order_by("pk")
    assert direct.client_hash == lookup.hash_client_address("127.0.0.1")
    assert proxied.client_hash == lookup.hash_client_address("198.51.100.1")


def test_the_lookup_costs_a_fixed_number_of_queries(client, letter, django_assert_num_queries):
    # One statement reads the public read model and writes the log row, whatever the table
    # size or the history.
    for _ in range(5):
        services.change_status(letter=letter, to_status=Status.AWAITING_APPLICANT)
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    LetterFactory.create_batch(5)
    track(client, "az", "2026-000009-9")  # a session's first lookup prepares the statement (PostgreSQL)
    with BEFORE_DUE, django_assert_num_queries(1):
        assert track(client, "az", letter.registration_number).status_code == 200
    # Past its due date (2 April 2026), one read of the calendar says by how many working days.
    with django_assert_num_queries(2):
        assert track(client, "az", letter.registration_number).status_code == 200
    with django_assert_num_queries(1):
        assert track(client, "az", format_registration_number(2026, 999)).status_code == 404
    with django_assert_num_queries(1):
        assert track(client, "az", "2026-000001-4").status_code == 400


def test_post_is_not_allowed(client):
    assert client.post("/az/track/", {"number": "x"}).status_code == 405


def test_a_repeated_lookup_reads_the_database_again_and_is_logged_again(client, letter, django_assert_num_queries):
    track(client, "az", letter.registration_number)
    with BEFORE_DUE, django_assert_num_queries(1):  # no cache: the read model and the log row, every time
        assert track(client, "az", letter.registration_number).status_code == 200
    assert LookupLog.objects.count() == 2


def test_a_change_shows_at_once(client, letter):
    assert "In progress" in track(client, "en", letter.registration_number).content.decode()
    services.change_status(letter=letter, to_status=Status.AWAITING_APPLICANT, note="Sənəd gözlənilir")
    html = track(client, "en", letter.registration_number).content.decode()
    assert "Waiting for information from the applicant" in html and "Sənəd gözlənilir" in html


def test_a_number_registered_after_a_failed_lookup_is_found_at_once(client):
    from appeals.numbers import format_registration_number

    number = format_registration_number(2026, 1)
    assert track(client, "en", number).status_code == 404
    assert LetterFactory().registration_number == number
    assert track(client, "en", number).status_code == 200


def test_an_executors_new_phone_shows_once_the_directory_changes(admin_client, client, letter):
    track(client, "en", letter.registration_number)
    executor = letter.executor
    response = admin_client.post(
        f"/admin/appeals/executor/{executor.pk}/change/",
        {
            "full_name": executor.full_name,
            "position_az": executor.position_az,
            "position_ru": executor.position_ru,
            "position_en": executor.position_en,
            "phone": "+994 12 404 99 99",
            "department": executor.department_id,
            "is_active": "on",
            "language": "az",
            "user": "",
        },
    )
    assert response.status_code == 302
    assert "+994 12 404 99 99" in track(client, "en", letter.registration_number).content.decode()


@pytest.mark.parametrize("prefix", ["№ ", "No. ", "N", "DGK № "])
def test_a_number_copied_with_its_printed_prefix_is_found(client, letter, prefix):
    response = track(client, "ru", prefix + letter.registration_number)
    assert response.status_code == 200
    assert letter.registration_number in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_prepares_the_lookup_again(client):
    if connection.vendor != "postgresql":
        pytest.skip("the lookup is prepared on PostgreSQL only")
    letter = LetterFactory()
    assert track(client, "en", letter.registration_number).status_code == 200
    connection.close()  # as after the database restarted
    assert track(client, "en", letter.registration_number).status_code == 200
    with connection.cursor() as cursor:  # an earlier session's marker left nothing behind
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'dgk_find_and_record'")
        assert cursor.fetchone() == (1,)
    assert LookupLog.objects.filter(letter=letter, outcome="found").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_reset_under_the_lookup_prepares_it_again(client):
    """A pooler that resets sessions, or hands over one that already holds the statement."""
    if connection.vendor != "postgresql":
        pytest.skip("the lookup is prepared on PostgreSQL only")
    letter = LetterFactory()
    assert track(client, "en", letter.registration_number).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert track(client, "en", letter.registration_number).status_code == 200
    connection.prepared_lookup_session = None  # as if this session were new, though it holds it
    assert track(client, "en", format_registration_number(2026, 999)).status_code == 404
    outcomes = list(LookupLog.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["found", "found", "not_found"]
