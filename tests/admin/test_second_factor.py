"""Staff sign in with a second factor when STAFF_SECOND_FACTOR is on (production's default):
enrolment with a QR code and recovery codes, a code at each sign-in, recovery codes used once."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_SECOND_FACTOR = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user) -> None:
    response = client.post("/admin/login/", {"username": user.username, "password": "x-password-123"})
    assert response.status_code == 302


def test_a_clerk_enrols_then_needs_a_code_at_every_sign_in(client, world):
    clerk = world["users"]["clerk"]
    sign_in(client, clerk)
    # The password alone does not open the back office: first, enrolment.
    response = client.get("/admin/appeals/letter/")
    assert response.status_code == 302 and "/accounts/second-factor/setup/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    wrong = client.post(page.request["PATH_INFO"], {"code": "000000", "next": "/admin/appeals/letter/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each wrong code makes the next wait longer
    device.throttle_reset()
    done = client.post(page.request["PATH_INFO"], {"code": current_code(device), "next": "/admin/appeals/letter/"})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/appeals/letter/").status_code == 200

    # A new session: password, then the code.
    client.logout()
    sign_in(client, clerk)
    response = client.get("/admin/appeals/letter/")
    assert response.status_code == 302 and "/accounts/second-factor/?" in response["Location"]
    device.refresh_from_db()
    device.last_t = -1  # the enrolment used this time step's code
    device.save()
    response = client.post("/az/accounts/second-factor/", {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/appeals/letter/").status_code == 200


def enrol(client, user, next_page: str):
    """Sign in with the password and enrol an authenticator; the page with the recovery codes."""
    client.force_login(user)
    client.get(f"/az/accounts/second-factor/setup/?next={next_page}")
    device = TOTPDevice.objects.get(user=user)
    return client.post("/az/accounts/second-factor/setup/", {"code": current_code(device), "next": next_page})


def test_a_recovery_code_signs_in_once(client, world):
    operator = world["users"]["operator"]
    done = enrol(client, operator, "/az/callcentre/")
    first = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())[0]
    for attempt, expected in ((1, 302), (2, 200)):
        client.logout()
        client.force_login(operator)
        assert client.get("/az/callcentre/").status_code == 302  # no code checked in this session
        response = client.post("/az/accounts/second-factor/", {"code": first, "next": "/az/callcentre/"})
        assert response.status_code == expected, attempt  # the second time it is used up


def test_the_demo_and_the_public_pages_ask_for_no_second_factor(client, world, settings):
    client.force_login(world["users"]["supervisor"])
    assert client.get("/az/").status_code == 200  # public pages are never intercepted
    settings.STAFF_SECOND_FACTOR = False
    assert client.get("/az/reports/").status_code == 200


def test_a_foreign_next_address_is_not_followed(client, world):
    done = enrol(client, world["users"]["operator"], "https://evil.example/")
    assert "evil.example" not in done.content.decode()


def test_the_page_asked_for_is_kept_whole_through_the_second_step(client, world):
    from urllib.parse import parse_qs, urlsplit

    client.force_login(world["users"]["clerk"])
    response = client.get("/admin/appeals/letter/?status=answered&kind=letter")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [
        "/admin/appeals/letter/?status=answered&kind=letter"
    ]
