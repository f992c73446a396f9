""" "Notify me" without an account: double opt-in by e-mail link or SMS code, limits, one-click
stop, and the end of a subscription when its letter closes."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from appeals import services
from appeals.models import Notification, Subscription
from appeals.notifications import sms
from appeals.statuses import Status
from tests.factories import ExecutorFactory, LetterFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter():
    made = LetterFactory(applicant_email="", applicant_phone="", executor=ExecutorFactory())
    run_tasks()
    return made


def subscribe(client, letter, contact, language="en"):
    return client.post(f"/{language}/notices/subscribe/", {"number": letter.registration_number, "contact": contact})


def confirmation_link(message) -> str:
    return re.search(r"http://\S+/confirm/\?token=\S+", message.body).group(0)


def test_the_result_page_offers_notices_for_an_open_letter_only(client, letter):
    page = client.get(f"/en/track/?number={letter.registration_number}").content.decode()
    assert 'action="/en/notices/subscribe/"' in page and "E-mail or mobile number" in page
    services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergilər Nazirliyi")
    page = client.get(f"/en/track/?number={letter.registration_number}").content.decode()
    assert "notices/subscribe" not in page


def test_email_double_opt_in_then_every_change_then_the_end(client, letter):
    response = subscribe(client, letter, "Follower@Example.AZ")
    assert response.status_code == 302  # a reload of the next page sends nothing again
    assert "We sent a link to your e-mail" in client.get(response["Location"]).content.decode()
    assert mail.outbox == []  # the worker sends it, not the request
    run_tasks()
    (confirmation,) = mail.outbox
    assert confirmation.to == ["Follower@example.az"]
    assert letter.registration_number in confirmation.subject
    assert "Əliyeva" not in confirmation.body and "rəsmiləşdirilməsi" not in confirmation.body
    link = confirmation_link(confirmation).replace("http://127.0.0.1:8000", "")
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    run_tasks()
    assert len(mail.outbox) == 1  # not confirmed yet: nothing sent

    page = client.get(link)
    assert page.status_code == 200 and "Confirm the notices" in page.content.decode()
    assert Subscription.objects.get().state == Subscription.State.PENDING  # opening the link is not enough
    token = link.split("token=")[1]
    confirmed = client.post(link.split("?")[0], {"token": token})
    assert confirmed.status_code == 200 and "Confirmed" in confirmed.content.decode()
    again = client.post(link.split("?")[0], {"token": token})
    assert "already confirmed" in again.content.decode()

    services.extend_due_date(letter=letter, working_days=5, reason="x", ground="other_body")
    run_tasks()
    notice = mail.outbox[-1]
    assert notice.to == ["Follower@example.az"] and "extended" in notice.subject
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    services.change_status(letter=letter, to_status=Status.ANSWERED, answer_channel="post", outgoing_number="7")
    run_tasks()
    assert "answered" in mail.outbox[-1].subject
    subscription = Subscription.objects.get()
    assert subscription.state == Subscription.State.ENDED and subscription.contact == ""  # deleted with its end


def test_sms_code_confirms_and_a_wrong_code_says_so(client, letter):
    response = subscribe(client, letter, "055 222 33 44")
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/notices/{subscription.key}/confirm/"
    run_tasks()
    (message,) = sms.outbox
    assert message["to"] == "+994552223344"
    code = re.search(r"\b(\d{6})\b", message["text"]).group(1)
    assert sms.segments(message["text"]).count == 1
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "not the code we sent" in wrong.content.decode()
    right = client.post(response["Location"], {"code": code})
    assert right.status_code == 200
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    run_tasks()
    assert sms.outbox[-1]["to"] == "+994552223344" and "In progress" in sms.outbox[-1]["text"]


def test_too_many_wrong_codes_void_the_request(client, letter):
    subscribe(client, letter, "055 222 33 44")
    run_tasks()
    url = f"/en/notices/{Subscription.objects.get().key}/confirm/"
    for _ in range(5):
        response = client.post(url, {"code": "999999x"})
    assert response.status_code == 410 and "Ask for the notices again" in response.content.decode()


def test_an_expired_or_forged_confirmation_says_so(client, letter):
    subscribe(client, letter, "a@example.az")
    run_tasks()
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
    forged = client.post(link.split("?")[0], {"token": "forged"})
    assert forged.status_code == 400
    assert client.post("/en/notices/zzzzzzzzzz/confirm/", {"token": "x"}).status_code == 404
    Subscription.objects.update(expires_at=Subscription.objects.get().created_at)
    expired = client.post(link.split("?")[0], {"token": link.split("token=")[1]})
    assert expired.status_code == 410


@pytest.mark.parametrize("contact", ["not-an-address", "012 404 22 00", "+7 916 123 45 67", ""])
def test_a_malformed_contact_gets_a_clear_message_and_nothing_is_stored(client, letter, contact):
    response = subscribe(client, letter, contact)
    assert response.status_code == 400
    assert "Azerbaijani mobile number" in response.content.decode()
    assert not Subscription.objects.exists() and not Notification.objects.filter(kind="confirmation").exists()


def test_unknown_number_and_closed_letter_are_refused(client, letter):
    assert client.post(
        "/en/notices/subscribe/", {"number": "2026-999999-9", "contact": "a@example.az"}
    ).status_code in (404,)
    services.change_status(letter=letter, to_status=Status.FORWARDED, forwarded_to="Vergilər Nazirliyi")
    assert subscribe(client, letter, "a@example.az").status_code == 409
    assert not Subscription.objects.exists()


def test_pending_requests_are_limited_per_contact_and_recorded_without_the_address(client, letter):
    other = LetterFactory(applicant_email="", applicant_phone="")
    for spelling in ("same@example.az", "Same@Example.az", "same+1@example.az"):  # one mailbox
        assert subscribe(client, other if "+" in spelling else letter, spelling).status_code == 302
    refused = subscribe(client, other, "SAME+x@example.AZ")
    assert refused.status_code == 429 and "unconfirmed requests" in refused.content.decode()
    assert refused["Retry-After"]
    assert Subscription.objects.count() == 3
    digests = {s.contact_digest for s in Subscription.objects.all()}
    assert len(digests) == 1 and len(digests.pop()) == 32  # a keyed hash, the same for each spelling
    assert all(s.client_digest and "127" not in s.client_digest for s in Subscription.objects.all())
    # Another contact from the same client is still refused: 3 pending per client address.
    assert subscribe(client, letter, "someone.else@example.az").status_code == 429


def test_one_click_stop_ends_the_subscription_and_deletes_the_contact(client, letter):
    subscribe(client, letter, "055 222 33 44")
    run_tasks()
    subscription = Subscription.objects.get()
    code = re.search(r"\b(\d{6})\b", sms.outbox[0]["text"]).group(1)
    client.post(f"/en/notices/{subscription.key}/confirm/", {"code": code})
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    run_tasks()
    short = sms.outbox[-1]["text"].split()[-1].replace("http://127.0.0.1:8000", "")
    page = client.get(client.get(short)["Location"])
    assert "Receive no more notices" in page.content.decode()
    stopped = client.post(f"/en/notices/{subscription.key}/")
    assert stopped.status_code == 200 and "no more notices" in stopped.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ENDED and subscription.contact == ""
    count = len(sms.outbox)
    services.change_status(letter=letter, to_status=Status.AWAITING_APPLICANT)
    run_tasks()
    assert len(sms.outbox) == count


def test_only_supervisors_see_who_follows_a_letter(client, letter, make_staff):
    from appeals.roles import Role

    subscribe(client, letter, "follower@example.az")
    for role, sees in [(Role.SUPERVISOR, True), (Role.ADMINISTRATOR, False)]:
        user = make_staff(role, username=f"u{role.name}")
        client.force_login(user)
        page = client.get(f"/admin/appeals/letter/{letter.pk}/change/")
        assert page.status_code == 200, role
        assert letter.registration_number in page.content.decode()
        assert ("follower@example.az" in page.content.decode()) is sees, role
        client.logout()


def test_asking_again_for_a_followed_letter_tells_nothing_and_confirming_again_keeps_one(client, letter):
    def confirm_by_email(n):
        link = confirmation_link(mail.outbox[n]).replace("http://127.0.0.1:8000", "")
        return client.post(link.split("?")[0], {"token": link.split("token=")[1]})

    first = subscribe(client, letter, "f@example.az")
    run_tasks()
    confirm_by_email(0)
    second = subscribe(client, letter, "f@example.az")  # as anyone could, to learn who follows
    assert second.status_code == first.status_code == 302  # the same answer as a new request
    run_tasks()
    assert "already confirmed" in confirm_by_email(1).content.decode()
    assert Subscription.objects.filter(state=Subscription.State.ACTIVE).count() == 1
    services.change_status(letter=letter, to_status=Status.IN_PROGRESS)
    run_tasks()
    assert [m.to for m in mail.outbox[2:]] == [["f@example.az"]]  # one message a change


def test_an_expired_link_says_so_after_the_request_was_cleared(client, letter):
    subscribe(client, letter, "a@example.az")
    run_tasks()
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
    Subscription.objects.update(expires_at=Subscription.objects.get().created_at)
    from appeals import upkeep

    upkeep.tidy()
    subscription = Subscription.objects.get()
    assert subscription.state == Subscription.State.EXPIRED and subscription.contact == ""
    page = client.get(link)
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert client.post(link.split("?")[0], {"token": link.split("token=")[1]}).status_code == 410


def test_a_stale_staff_form_does_not_undo_the_applicants_stop(client, world):
    letter = world["own"]
    client.force_login(world["users"]["clerk"])
    form_page = client.get(f"/admin/appeals/letter/{letter.pk}/change/").content.decode()
    assert 'name="initial-applicant_notices"' in form_page  # what the page showed travels with it
    services.update_letter_details(letter=letter, applicant_notices=False)  # the applicant's stop
    from tests.admin.test_letter_admin import details_form

    data = details_form(letter, subject="Düzəldilmiş mövzu", **{"initial-applicant_notices": "True"})
    response = client.post(f"/admin/appeals/letter/{letter.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    letter.refresh_from_db()
    assert letter.subject == "Düzəldilmiş mövzu" and letter.applicant_notices is False
