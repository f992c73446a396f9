""" "Notify me" in a real browser: a citizen subscribes to a number by SMS, confirms with the
code the console gateway received, staff change the status, and the SMS is in the outbox; the
pages on the way pass axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from appeals.notifications import sms
from appeals.roles import Role
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import sign_in
from tests.factories import ExecutorFactory, LetterFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["az", "en"])
def test_subscribe_confirm_and_hear_of_a_status_change(page, make_staff, language, settings, capsys):
    executor = ExecutorFactory(full_name="Həsənov Rəşad")
    letter = LetterFactory(executor=executor, applicant_email="", applicant_phone="")
    make_staff(Role.EXECUTOR, executor=executor)

    page.goto(f"/{language}/track/?number={letter.registration_number}")
    assert violations(page) == []
    page.fill("#id_contact", "abc")
    page.click("#notify-title ~ form button[type=submit]")
    assert page.locator("#contact-error").is_visible()  # a clear message, nothing stored
    assert violations(page) == []
    page.fill("#id_contact", "055 222 33 44")
    page.click("form button[type=submit] >> nth=0")
    assert "/confirm/" in page.url
    assert violations(page) == []

    settings.SMS_URL = "console://"  # the development gateway: the code is printed
    capsys.readouterr()
    run_tasks()  # the worker: the code goes to the gateway
    printed = capsys.readouterr().out
    assert "SMS to +994552223344" in printed
    text = printed.split("SMS to +994552223344", 1)[1].split("\n", 1)[1]  # the message, after its header
    page.fill("#id_code", re.search(r"(?<![\d-])\d{6}(?![\d-])", text).group(0))  # not the letter's number
    settings.SMS_URL = "locmem://"  # from here the notices go to the outbox the test reads
    page.click("form button[type=submit]")
    assert page.locator("main .lead").is_visible()
    assert violations(page) == []

    page.context.clear_cookies()
    sign_in(page, "executor")
    page.goto(f"/admin/appeals/letter/{letter.pk}/status/")
    page.select_option("#id_status", "in_progress")
    page.click("input[type=submit]")
    assert sms.outbox == []  # nothing sent in the request

    run_tasks()
    notice = sms.outbox[-1]
    assert notice["to"] == "+994552223344" and letter.registration_number in notice["text"]
    assert mail.outbox == []  # the subscriber chose SMS; the applicant gave no contact

    page.context.clear_cookies()
    page.goto(
        re.search(r"http://\S+", notice["text"]).group(0).replace("http://127.0.0.1:8000", page.url.split("/admin")[0])
    )
    assert "/notices/" in page.url
    assert violations(page) == []
    page.click("main form button[type=submit]")
    assert page.locator("main .lead").is_visible()
