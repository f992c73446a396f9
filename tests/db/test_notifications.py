"""Applicant e-mails: sent after commit, in the applicant's language, never at the cost of a save."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from appeals import services
from appeals.models import Channel, Letter, Notification
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory

pytestmark = pytest.mark.django_db


def test_acknowledgement_only_for_electronic_letters_with_an_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        LetterFactory(channel=Channel.POST)
        LetterFactory(channel=Channel.ELECTRONIC, applicant_email="")
        letter = LetterFactory(channel=Channel.ELECTRONIC, applicant_language="en")
    (message,) = mail.outbox
    assert message.subject == f"Your appeal is registered under number {letter.registration_number}"
    assert letter.due_date.strftime("%d.%m.%Y") in message.body


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        LetterFactory()
    assert mail.outbox == []
    for callback in callbacks:  # what the commit would run
        callback()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("language", "word"), [("az", "İcradadır"), ("ru", "На исполнении"), ("en", "In progress")])
def test_status_update_in_the_applicants_language(django_capture_on_commit_callbacks, language, word):
    letter = LetterFactory(executor=ExecutorFactory(), applicant_language=language, channel=Channel.POST)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Baxılır")
    (message,) = mail.outbox
    assert word in message.body
    assert "Baxılır" in message.body
    assert word in message.alternatives[0].content


def test_a_mail_server_that_is_down_does_not_undo_the_change(monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "mail.customs.gov.az is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    letter = LetterFactory(executor=ExecutorFactory(), channel=Channel.POST)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    assert Letter.objects.get(pk=letter.pk).status == Status.IN_PROGRESS
    notification = Notification.objects.get()
    assert not notification.delivered
    assert "SMTPConnectError" in notification.error


def test_a_failed_status_change_sends_nothing(django_capture_on_commit_callbacks):
    letter = LetterFactory(channel=Channel.POST)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post")
    assert mail.outbox == []
    assert not Notification.objects.exists()
