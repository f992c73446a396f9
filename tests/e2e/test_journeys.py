"""The journeys people make, in a real browser."""

from __future__ import annotations

import pytest

from appeals import services
from appeals.roles import Role
from appeals.statuses import Status
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "x-password-123"  # make_staff's


@pytest.fixture
def letter():
    executor = ExecutorFactory(full_name="Məmmədova Aygün")
    return services.change_status(letter=LetterFactory(executor=executor), to_status=Status.IN_PROGRESS)


def sign_in(page, username: str, path: str = "/admin/login/") -> None:
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")


@pytest.mark.parametrize(("language", "label"), [("az", "İcradadır"), ("ru", "На исполнении"), ("en", "In progress")])
def test_citizen_looks_up_a_number(page, letter, language, label):
    page.goto(f"/{language}/")
    page.fill("#id_number", letter.registration_number.replace("-", " "))
    page.click("form.lookup-form button[type=submit]")
    assert page.locator(".status__label").inner_text() == label
    assert letter.executor.full_name in page.content()
    assert page.get_attribute("html", "lang") == language


def test_a_typo_leads_from_the_error_summary_to_the_field(page, letter):
    page.goto("/en/")
    typo = letter.registration_number[:-1] + str((int(letter.registration_number[-1]) + 1) % 10)
    page.fill("#id_number", typo)
    page.click("form.lookup-form button[type=submit]")
    summary = page.locator(".error-summary")
    assert "typo" in summary.inner_text()
    summary.locator("a").click()
    assert page.evaluate("document.activeElement.id") == "id_number"
    assert page.input_value("#id_number") == typo


def test_switching_language_keeps_the_result(page, letter):
    page.goto(f"/en/track/?number={letter.registration_number}")
    page.click("nav.lang-switcher >> text=Русский")
    assert page.url.endswith(f"/ru/track/?number={letter.registration_number}")
    assert page.locator(".status__label").inner_text() == "На исполнении"


def test_clerk_registers_and_assigns_then_executor_works_and_the_citizen_sees_it(page, make_staff):
    department = DepartmentFactory(code="CUST", name_en="Customs")
    executor = ExecutorFactory(department=department, full_name="Həsənov Rəşad")
    make_staff(Role.REGISTRY_CLERK)
    make_staff(Role.EXECUTOR, executor=executor)

    sign_in(page, "registry_clerk")
    page.goto("/admin/appeals/letter/add/")
    page.fill("#id_received_on", "2026-03-02")
    page.select_option("#id_kind", "letter")
    page.select_option("#id_channel", "post")
    page.fill("#id_subject", "Rüsumun qaytarılması")
    page.fill("#id_applicant_name", "Rzayev Kamran")
    page.click("input[name=_save]")
    number = page.locator(".registration-number strong").first.inner_text()
    assert number.startswith("2026-")
    page.click("text=Assign")
    page.select_option("#id_department", str(department.pk))
    page.select_option("#id_executor", str(executor.pk))
    page.click("input[type=submit]")
    assert "assigned" in page.locator(".messagelist").inner_text().lower()

    page.context.clear_cookies()
    sign_in(page, "executor")
    page.goto(f"/admin/appeals/letter/?q={number}")
    page.click(f"text={number}")
    page.click("text=Change status")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_note", "Sənədlər yoxlanılır")
    page.click("input[type=submit]")

    page.context.clear_cookies()
    page.goto(f"/en/track/?number={number}")
    assert page.locator(".status__label").inner_text() == "In progress"
    assert "Sənədlər yoxlanılır" in page.locator(".timeline").inner_text()


def test_operator_finds_a_letter_by_a_name_typed_without_azerbaijani_letters(page, make_staff):
    letter = LetterFactory(applicant_name="Əliyeva Şəbnəm")
    make_staff(Role.CALL_CENTRE_OPERATOR, username="operator")
    page.goto("/az/callcentre/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.fill("#id_q", "eliyeva sebnem")
    page.click("form.search-form button[type=submit]")
    assert letter.registration_number in page.locator("table.results").inner_text()
