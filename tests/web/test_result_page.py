"""What the citizen's result page answers: late or not and what to do, what happens next, how a
closed letter ended, and the papers to keep (the PDF statement and the clerk's acknowledgement)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import re
from unittest import mock

import pytest
from django.utils import translation
from pypdf import PdfReader

from appeals import acknowledgement, services
from appeals.models import Letter, LookupLog, LookupOutcome, PublicLetter
from appeals.statuses import Status, next_steps
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db

D = dt.date


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def letter():
    """Registered on Monday 2 March 2026, due on Thursday 2 April 2026 (15 working days)."""
    executor = ExecutorFactory(full_name="Məmmədova Aygün", phone="+994 12 404 22 21")
    letter = LetterFactory(executor=executor, received_on=D(2026, 3, 2))
    return services.change_status(letter=letter, to_status=Status.IN_PROGRESS)


def page(client, number: str, language: str = "en") -> str:
    response = client.get(f"/{language}/track/", {"number": number})
    assert response.status_code == 200
    return response.content.decode()


def test_an_overdue_letter_says_so_at_the_top_with_what_to_do(client, letter):
    with on(D(2026, 4, 10)):  # 3, 6, 7, 8, 9, 10 April: 6 working days after 2 April
        html = page(client, letter.registration_number)
    assert "The term passed 6 working days ago (02.04.2026)" in html
    overdue = html[html.index('class="overdue"') : html.index("</section>", html.index('class="overdue"'))]
    assert 'href="tel:+994124042221"' in overdue  # the executor
    assert "(012) 404-22-20" in overdue  # then the department
    assert 'href="tel:1956"' in overdue  # the Call Centre
    assert 'href="/en/complaints/"' in overdue
    assert html.index('class="overdue"') < html.index('class="summary"')  # at the top


def test_a_letter_on_time_shows_no_alarm(client, letter):
    with on(D(2026, 4, 2)):  # the due date itself is still on time
        html = page(client, letter.registration_number)
    assert "The term passed" not in html and 'class="overdue"' not in html


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_overdue_line_is_translated(client, letter, language):
    with on(D(2026, 4, 3)):
        html = page(client, letter.registration_number, language)
    with translation.override(language):
        expected = translation.ngettext(
            "The term passed %(days)s working day ago (%(date)s)",
            "The term passed %(days)s working days ago (%(date)s)",
            1,
        ) % {"days": 1, "date": "02.04.2026"}
    assert expected in html


def test_each_status_says_what_happens_next_with_a_coloured_tag(client):
    executor = ExecutorFactory()
    letters = {Status.REGISTERED: LetterFactory()}
    letters[Status.ASSIGNED] = LetterFactory(executor=executor)
    letters[Status.IN_PROGRESS] = services.change_status(
        letter=LetterFactory(executor=executor), to_status="in_progress"
    )
    letters[Status.AWAITING_APPLICANT] = services.change_status(
        letter=letters[Status.IN_PROGRESS], to_status="awaiting_applicant"
    )
    letters[Status.IN_PROGRESS] = services.change_status(
        letter=LetterFactory(executor=executor), to_status="in_progress"
    )
    letters[Status.ANSWERED] = services.change_status(
        letter=services.change_status(letter=LetterFactory(executor=executor), to_status="in_progress"),
        to_status="answered",
        answer_channel="post",
    )
    letters[Status.FORWARDED] = services.change_status(letter=LetterFactory(), to_status="forwarded", forwarded_to="X")
    letters[Status.LEFT_WITHOUT_CONSIDERATION] = services.change_status(
        letter=LetterFactory(), to_status="left_without_consideration", ground="withdrawn"
    )
    for status, letter in letters.items():
        html = page(client, letter.registration_number)
        with translation.override("en"):
            assert next_steps(status) in htmllib.unescape(html), status
            assert f'<span class="tag tag--{status}">{Status(status).label}</span>' in html


def test_an_answered_letter_says_how_and_when_instead_of_a_due_date(client, letter):
    with on(D(2026, 3, 20)):
        services.change_status(letter=letter, to_status="answered", answer_channel="email", outgoing_number="GK-04/118")
        html = page(client, letter.registration_number)
    ending = html[html.index('class="ending"') :]
    assert "20.03.2026" in ending and "by e-mail" in ending and "GK-04/118" in ending
    assert "Due date" not in html and "Executor's phone" not in htmllib.unescape(html)
    assert "For more detail you may call the executor" not in html
    assert "Not yet assigned" not in html


def test_a_forwarded_letter_names_the_competent_body_marked_as_azerbaijani(client, letter):
    with on(D(2026, 3, 5)):
        services.change_status(letter=letter, to_status="forwarded", forwarded_to="Dövlət Vergi Xidməti")
    html = page(client, letter.registration_number)
    assert '<dd lang="az">Dövlət Vergi Xidməti</dd>' in html
    assert "05.03.2026" in html
    assert '<dd lang="az">' not in page(client, letter.registration_number, "az")  # already Azerbaijani


def test_leaving_without_consideration_shows_the_public_ground_never_the_staff_reason(client, letter):
    services.change_status(
        letter=letter, to_status="left_without_consideration", ground="repeated", reason="Şikayətçi 4-cü dəfə yazır"
    )
    html = page(client, letter.registration_number)
    assert "It repeats earlier appeals that were answered, with no new facts (art. 8.1.4)." in html
    assert "Şikayətçi" not in html


def test_an_imported_closed_letter_without_details_says_only_what_is_known(client, letter):
    """A registry row closed with no date nor channel: the page renders and sends to the Call Centre."""
    Letter.objects.filter(pk=letter.pk).update(status=Status.ANSWERED, closed_on=None, due_date=None)
    services.refresh_public_letters(Letter.objects.filter(pk=letter.pk))
    html = page(client, letter.registration_number)
    assert "The registry did not pass on how it ended" in html
    # And an open letter without a due date: a dash, no alarm.
    Letter.objects.filter(pk=letter.pk).update(status=Status.IN_PROGRESS)
    services.refresh_public_letters(Letter.objects.filter(pk=letter.pk))
    html = page(client, letter.registration_number)
    assert "The term passed" not in html and "<dd>—" in html


def test_an_extension_and_a_30_day_term_give_their_public_reasons(client):
    letter = LetterFactory(executor=ExecutorFactory(), needs_additional_study=True)
    services.extend_due_date(letter=letter, working_days=5, reason="Gizli qeyd", ground="other_body")
    html = page(client, letter.registration_number)
    assert "Information was requested from another body." in html
    assert "the appeal needs additional study or checking." in html
    assert "Gizli qeyd" not in html


def test_the_page_says_as_of_when_and_where_for_printing(client, letter, settings):
    settings.PUBLIC_BASE_URL = "https://izle.customs.gov.az"
    html = page(client, letter.registration_number)
    assert re.search(r"Information as of \d\d\.\d\d\.\d{4} \d\d:\d\d", html)
    # The page's public address (as the acknowledgement and the notices give it), not the
    # address the request came in by.
    assert f"https://izle.customs.gov.az/en/track/?number={letter.registration_number}" in html
    assert 'class="no-print"' in html


# --- the PDF statement ----------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "Qeydiyyat nömrəsi"), ("ru", "Регистрационный номер"), ("en", "Registration number")],
)
def test_the_pdf_statement_is_in_the_pages_language_and_is_logged(client, letter, language, expected):
    before = LookupLog.objects.count()
    response = client.get(f"/{language}/track/statement.pdf", {"number": letter.registration_number})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{letter.registration_number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert expected in text and letter.registration_number in text
    assert "Məmmədova Aygün" in text  # Azerbaijani letters drawn, not dropped
    assert "Əliyeva" not in text  # nothing private
    log = LookupLog.objects.order_by("pk").last()
    assert (LookupLog.objects.count(), log.outcome) == (before + 1, LookupOutcome.FOUND)


def test_the_pdf_endpoint_answers_bad_numbers_like_the_lookup(client, letter):
    typo = letter.registration_number[:-1] + str((int(letter.registration_number[-1]) + 1) % 10)
    assert client.get("/en/track/statement.pdf", {"number": "hello"}).status_code == 400
    response = client.get("/en/track/statement.pdf", {"number": typo})
    assert response.status_code == 400 and "typo" in response.content.decode()
    missing = client.get("/en/track/statement.pdf", {"number": "2026-000999-" + "0"})
    assert missing.status_code in (400, 404)
    assert list(LookupLog.objects.values_list("outcome", flat=True).order_by("pk"))[-3:-1] == [
        LookupOutcome.MALFORMED,
        LookupOutcome.CHECKSUM,
    ]


# --- the clerk's paper acknowledgement ------------------------------------------------------


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_acknowledgement_carries_a_qr_code_of_the_result_page_in_its_language(admin_client, letter, language):
    response = admin_client.get(f"/admin/appeals/letter/{letter.pk}/acknowledgement/", {"lang": language})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    url = f"http://127.0.0.1:8000/{language}/track/?number={letter.registration_number}"
    assert url in html
    assert acknowledgement.qr_svg(url) in html  # the code encodes exactly that address
    assert "<script" not in html and "style=" not in html
    assert "Əliyeva" not in html


def test_the_acknowledgement_is_for_staff_who_see_the_letter(client, letter, make_staff):
    from appeals.roles import Role

    assert client.get(f"/admin/appeals/letter/{letter.pk}/acknowledgement/").status_code == 302  # to the login
    client.force_login(make_staff(Role.CALL_CENTRE_OPERATOR), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/admin/appeals/letter/{letter.pk}/acknowledgement/").status_code in (302, 403)


def test_the_public_view_keeps_the_ending_as_codes(letter):
    services.change_status(letter=letter, to_status="answered", answer_channel="post", outgoing_number="7")
    data = PublicLetter.objects.get(pk=letter.pk).data
    assert (data["answer_channel"], data["outgoing_number"], data["ground"]) == ("post", "7", "")


def test_every_kind_of_letter_has_a_pdf_statement(client, letter):
    """Notes, endings, an extension: every timeline and ending fpdf2 has to lay out."""
    services.change_status(letter=letter, to_status="awaiting_applicant", note="Sənədin surəti lazımdır")
    services.change_status(letter=letter, to_status="in_progress", note="Sənəd alındı")
    services.extend_due_date(letter=letter, working_days=3, reason="x", ground="more_information")
    endings = [
        services.change_status(letter=LetterFactory(), to_status="forwarded", forwarded_to="Vergi Xidməti", note="<b>"),
        services.change_status(letter=LetterFactory(), to_status="left_without_consideration", ground="court"),
    ]
    for number in [letter.registration_number, *(ending.registration_number for ending in endings)]:
        response = client.get("/az/track/statement.pdf", {"number": number})
        assert response.status_code == 200, number
        assert number in pdf_text(response.content)
    assert "Sənəd alındı" in pdf_text(
        client.get("/en/track/statement.pdf", {"number": letter.registration_number}).content
    )


def test_a_statement_fpdf2_cannot_lay_out_is_a_503_not_a_500(client, letter):
    with mock.patch("appeals.statement.statement_pdf", side_effect=NotImplementedError("nested tags")):
        response = client.get("/en/track/statement.pdf", {"number": letter.registration_number})
    assert response.status_code == 503


def test_a_term_that_ended_on_the_last_working_day_says_so_without_zero_days(client):
    """Due Friday 24 April 2026; on Saturday the term has ended, 0 working days ago."""
    with on(D(2026, 4, 3)):
        letter = LetterFactory(received_on=D(2026, 4, 3))
    with on(D(2026, 4, 25)):
        html = page(client, letter.registration_number)
    assert "The term ended on 24.04.2026" in html and "0 working days" not in html


def test_a_staff_note_on_a_status_change_is_kept_for_staff(letter):
    services.change_status(letter=letter, to_status="awaiting_applicant", reason="Ərizəçi zəng etdi")
    assert letter.events.last().staff_note == "Ərizəçi zəng etdi"
    assert "Ərizəçi" not in str(PublicLetter.objects.get(pk=letter.pk).data)
