"""Notices to applicants: queued in the change's own transaction, delivered by the worker on
each channel in the applicant's language, retried when the gateway fails, never sent twice."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction

from appeals import notifications, services
from appeals.models import Channel, DeliveryState, Letter, Notification, NotificationKind
from appeals.notifications import sms
from appeals.statuses import Status
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def sms_to(phone: str) -> list[str]:
    return [message["text"] for message in sms.outbox if message["to"] == phone]


def test_registration_is_told_by_email_and_sms_in_the_applicants_language():
    letter = LetterFactory(channel=Channel.POST, applicant_language="en", applicant_phone="050 123 45 67")
    assert mail.outbox == [] and sms.outbox == []  # nothing inside the staff member's request
    run_tasks()
    (message,) = mail.outbox
    assert message.subject == f"Your appeal is registered under number {letter.registration_number}"
    assert letter.due_date.strftime("%d.%m.%Y") in message.body
    assert f"/en/track/?number={letter.registration_number}" in message.body
    assert (
        message.extra_headers["List-Unsubscribe"]
        == f"<http://127.0.0.1:8000/en/notices/{Letter.objects.get().notices_key}/>"
    )
    (text,) = sms_to("+994501234567")
    assert letter.registration_number in text and letter.due_date.strftime("%d.%m.%Y") in text
    assert Notification.objects.filter(state=DeliveryState.SENT).count() == 2


def test_only_what_is_known_and_wanted_is_sent():
    LetterFactory(applicant_email="", applicant_phone="(012) 404-22-00")  # a landline: no SMS
    LetterFactory(applicant_email="", applicant_phone="")
    LetterFactory(applicant_notices=False)  # the applicant objected
    run_tasks()
    assert mail.outbox == [] and sms.outbox == []
    assert not Notification.objects.exists()


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        LetterFactory()
        raise RuntimeError("the save failed after the notice was queued")
    run_tasks()
    assert mail.outbox == [] and sms.outbox == []
    assert not Notification.objects.exists()


def test_a_refused_status_change_sends_nothing():
    letter = LetterFactory()
    run_tasks()
    mail.outbox.clear()
    sms.outbox.clear()
    with pytest.raises(Exception):  # noqa: B017  (the rules refuse it)
        services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post")
    run_tasks()
    assert mail.outbox == [] and sms.outbox == []


LONG_NAME = "Gömrük nəzarəti və xarici iqtisadi fəaliyyətin tənzimlənməsi üzrə baş idarənin şöbəsi " * 3


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_every_notice_on_both_channels_fits_two_sms_and_says_what_changed(language):
    department = DepartmentFactory(name_az=LONG_NAME[:255], name_ru=LONG_NAME[:255], name_en=LONG_NAME[:255])
    executor = ExecutorFactory(department=department, full_name="Məmmədova Aygün Rəşad qızı", phone="+994 12 404 22 21")
    letter = LetterFactory(applicant_language=language)
    services.assign_letter(letter=letter, department=department, executor=executor)
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="")
    services.extend_due_date(letter=letter, working_days=10, reason="ekspertiza", ground="other_body")
    extended_due = Letter.objects.get().due_date
    services.change_status(
        letter=letter, to_status=Status.ANSWERED, answer_channel="post", outgoing_number="DGK-12/345"
    )
    services.reopen_letter(letter=letter, actor=None, reason="cavab natamam")
    services.change_status(
        letter=letter, to_status=Status.FORWARDED, forwarded_to="Azərbaycan Respublikasının Vergilər Nazirliyi " * 3
    )
    run_tasks()
    kinds = list(Notification.objects.order_by("pk").values_list("kind", "channel"))
    expected = [
        NotificationKind.ACKNOWLEDGEMENT,
        NotificationKind.ASSIGNMENT,
        NotificationKind.STATUS_UPDATE,
        NotificationKind.EXTENSION,
        NotificationKind.ENDING,
        NotificationKind.REOPENING,
        NotificationKind.FORWARDING,
    ]
    assert [kind for kind, channel in kinds if channel == "email"] == expected
    assert [kind for kind, channel in kinds if channel == "sms"] == expected
    assert len(mail.outbox) == len(sms.outbox) == len(expected)
    texts = sms_to("+994501234567")
    for text in texts:
        assert sms.segments(text).count <= 2, (text, sms.segments(text))
        assert "/n/" in text  # the link to the status and the stop button
    if language != "en":
        assert all(sms.segments(text).encoding == "UCS-2" for text in texts)
    bodies = [message.body for message in mail.outbox]
    assert "Məmmədova Aygün Rəşad qızı" in bodies[1] and "+994 12 404 22 21" in bodies[1]
    assert "Məmmədova" in texts[1] and "404 22 21" in texts[1]
    assert "DGK-12/345" in bodies[4]
    assert "Vergilər Nazirliyi" in bodies[6] and "Azərbaycan" in texts[6]  # a long name shortened in the SMS
    for body in bodies:
        assert "Əliyeva Leyla" not in body and "rəsmiləşdirilməsi" not in body  # nothing private
        assert "ekspertiza" not in body and "cavab natamam" not in body  # staff's own notes
        assert f"/{language}/notices/" in body
    assert all(
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in mail.outbox
    )
    assert extended_due.strftime("%d.%m.%Y") in bodies[3] and extended_due.strftime("%d.%m.%Y") in texts[3]


@pytest.mark.parametrize(
    ("language", "words"),
    [("az", "İcradadır"), ("ru", "На исполнении"), ("en", "In progress")],
)
def test_status_change_in_the_applicants_language(language, words):
    letter = LetterFactory(executor=ExecutorFactory(), applicant_language=language)
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS, note="Baxılır")
    run_tasks()
    message = mail.outbox[-1]
    assert words in message.body and "Baxılır" in message.body
    assert words in message.alternatives[0].content
    assert words in sms.outbox[-1]["text"]


class Gateway:
    """An SMS gateway on a local port that answers from a script: each try takes the next code
    (or "slow": no answer within the timeout); it remembers every Idempotency-Key it accepted."""

    def __init__(self, script):
        self.script, self.tries, self.accepted = list(script), [], {}
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                gateway.tries.append(key)
                answer = gateway.script.pop(0) if gateway.script else 200
                if answer in (200, "slow"):
                    gateway.accepted.setdefault(key, body)  # taken (and sent) once per key
                if answer == "slow":  # taken, but the answer comes too late
                    time.sleep(1.5)
                    answer = 200
                self.send_response(answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://user:secret@127.0.0.1:{self.server.server_port}/send"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    made = []

    def make(*script):
        made.append(Gateway(script))
        settings.SMS_URL = made[-1].url
        settings.SMS_TIMEOUT = 1
        settings.NOTICE_RETRY_BASE_SECONDS = 0  # the next try is due at once: run_tasks runs them all
        return made[-1]

    yield make
    for one in made:
        one.close()


def test_a_gateway_error_is_retried_and_the_message_sent_once(gateway):
    server = gateway(500, "slow", 200)
    letter = LetterFactory(applicant_email="")
    run_tasks()
    notice = Notification.objects.get()
    assert notice.state == DeliveryState.SENT and notice.attempts == 3
    assert server.tries == [str(notice.key)] * 3  # the same key on every try
    assert server.accepted.keys() == {str(notice.key)}  # one message reached the phone
    assert letter.registration_number in server.accepted[str(notice.key)]["text"]


def test_a_gateway_that_keeps_failing_marks_the_notice_failed_with_the_error(gateway, settings):
    settings.NOTICE_MAX_ATTEMPTS = 3
    server = gateway(500, 503, 500, 500)
    LetterFactory(applicant_email="")
    run_tasks()
    notice = Notification.objects.get()
    assert notice.state == DeliveryState.FAILED and notice.attempts == 3
    assert "500" in notice.error
    assert len(server.tries) == 3


def test_a_dead_gateway_never_blocks_or_fails_the_staff_members_save(settings):
    settings.SMS_URL = "http://127.0.0.1:9/send"  # nothing listens on the discard port
    letter = LetterFactory(executor=ExecutorFactory())
    started = time.monotonic()
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    assert time.monotonic() - started < 1
    assert Letter.objects.get(pk=letter.pk).status == Status.IN_PROGRESS
    run_tasks()
    sms_notice = Notification.objects.filter(channel="sms").last()
    assert sms_notice.state == DeliveryState.QUEUED and "unreachable" in sms_notice.error  # to be tried again
    assert sms_notice.next_attempt_at > sms_notice.created_at


def test_backoff_grows_by_five():
    assert [notifications.retry_delay(n) for n in (1, 2, 3)] == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=25),
    ]
    assert notifications.retry_delay(20) == dt.timedelta(days=1)


def test_a_task_left_running_by_a_killed_worker_is_resumed_and_sent_once():
    from django_tasks_db.models import DBTaskResult

    LetterFactory(applicant_email="")
    # The worker claimed the task and died: the task stays RUNNING, the notice queued.
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["killed"])
    run_tasks()
    assert sms.outbox == []
    assert notifications.resume_stalled() == 0  # not overdue yet: a worker may be on it
    Notification.objects.update(next_attempt_at=Notification.objects.get().created_at - dt.timedelta(minutes=11))
    assert notifications.resume_stalled() == 1
    notifications.resume_stalled()  # queued twice (two workers starting)
    run_tasks()
    assert len(sms.outbox) == 1
    assert Notification.objects.get().state == DeliveryState.SENT


def test_the_upkeep_resumes_stalled_notices_while_the_worker_runs():
    from django_tasks_db.models import DBTaskResult

    from appeals import upkeep

    LetterFactory(applicant_email="")
    DBTaskResult.objects.all().delete()
    Notification.objects.update(next_attempt_at=Notification.objects.get().created_at - dt.timedelta(minutes=11))
    assert upkeep.ensure_sweeping() is True
    assert upkeep.ensure_sweeping() is False  # one chain
    run_tasks()  # the sweep queues the notice again, the worker sends it, the sweep comes back later
    assert len(sms.outbox) == 1
    assert DBTaskResult.objects.filter(task_path="appeals.upkeep.sweep", status="READY").count() == 1


def test_a_duplicate_task_for_a_try_does_not_add_a_try(gateway):
    server = gateway(500, 500, 200)
    LetterFactory(applicant_email="")
    notice_id = Notification.objects.get().pk
    notifications.deliver_notice.enqueue(notice_id, 0)  # a duplicate of the first try
    notifications.deliver_notice.enqueue(notice_id, 0)  # and another
    run_tasks()
    notice = Notification.objects.get()
    assert notice.state == DeliveryState.SENT and notice.attempts == 3
    assert len(server.tries) == 3


def test_a_gateway_that_refuses_the_number_is_not_retried(gateway):
    server = gateway(400)
    LetterFactory(applicant_email="")
    run_tasks()
    notice = Notification.objects.get()
    assert notice.state == DeliveryState.FAILED and notice.attempts == 1 and "400" in notice.error
    assert len(server.tries) == 1


def test_a_refused_address_is_not_repeated_in_the_error(monkeypatch):
    import smtplib

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"Leyla.Aliyeva@example.az": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    LetterFactory(applicant_email="Leyla.Aliyeva@example.az", applicant_phone="")
    run_tasks()
    notice = Notification.objects.get()
    assert "SMTPRecipientsRefused" in notice.error and "aliyeva" not in notice.error.lower()


def test_a_letter_closed_without_a_notice_ends_its_subscriptions():
    from appeals.models import Subscription

    letter = LetterFactory(executor=ExecutorFactory())
    subscription = Subscription.objects.create(
        letter=letter,
        channel="email",
        contact="f@example.az",
        contact_digest="d",
        client_digest="c",
        expires_at=letter.created_at,
        state=Subscription.State.ACTIVE,
    )
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post", notify=False)
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ENDED
    assert (subscription.contact, subscription.contact_digest) == ("", "")


def test_no_sms_is_longer_than_two_segments_on_the_production_address(settings):
    settings.PUBLIC_BASE_URL = "https://tracker.customs.gov.az"
    for language in ("az", "ru", "en"):
        LetterFactory(applicant_language=language, department=DepartmentFactory(name_az=LONG_NAME[:255]))
    run_tasks()
    assert len(sms.outbox) == 3
    for message in sms.outbox:
        assert sms.segments(message["text"]).count <= 2, message["text"]
        assert "https://tracker.customs.gov.az/n/" in message["text"]


def test_the_applicants_stop_link_ends_their_notices_and_is_recorded(client):
    letter = LetterFactory()
    run_tasks()
    key = Letter.objects.get().notices_key
    page = client.get(f"/az/notices/{key}/")
    assert page.status_code == 200 and letter.registration_number in page.content.decode()
    # A mail program's one click (RFC 8058): a bare POST, no cookie, no token.
    response = client.post(f"/az/notices/{key}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    letter.refresh_from_db()
    assert not letter.applicant_notices
    assert letter.history.first().applicant_notices is False  # on the record
    services.assign_letter(letter=letter, department=DepartmentFactory(), executor=None)
    run_tasks()
    assert len(mail.outbox) == 1  # only the acknowledgement, before the stop


def test_the_short_sms_link_opens_the_notices_page_in_the_recipients_language(client):
    LetterFactory(applicant_language="ru")
    run_tasks()
    key = Letter.objects.get().notices_key
    response = client.get(f"/n/{key}")
    assert response.status_code == 302 and response["Location"] == f"/ru/notices/{key}/"
    assert client.get("/n/nosuchkey0").status_code == 404


def test_a_change_costs_the_same_queries_whatever_the_number_of_subscribers():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from appeals.models import Subscription

    def queries_for_a_change(followers: int) -> int:
        letter = LetterFactory(executor=ExecutorFactory())
        Subscription.objects.bulk_create(
            Subscription(
                letter=letter,
                channel="email",
                contact=f"f{n}@example.az",
                contact_digest=f"d{n}",
                client_digest="c",
                expires_at=letter.created_at,
                state=Subscription.State.ACTIVE,
            )
            for n in range(followers)
        )
        with CaptureQueriesContext(connection) as captured:
            services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
        assert Notification.objects.filter(letter=letter, kind=NotificationKind.STATUS_UPDATE).count() == followers + 2
        return len(captured)

    assert queries_for_a_change(1) == queries_for_a_change(30)
