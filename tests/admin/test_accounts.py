"""Staff accounts: lockout after repeated failures, the admin in the staff member's language."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_account(client, settings):
    user = get_user_model().objects.create_user("clerk", "c@example.az", "correct-horse-battery", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/admin/login/", {"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_walking_an_ipv6_64_does_not_dodge_the_lockout(client, settings):
    user = get_user_model().objects.create_user("clerk", "c@example.az", "correct-horse-battery", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    response = client.post(
        "/admin/login/",
        {"username": user.username, "password": "correct-horse-battery"},
        REMOTE_ADDR="2001:db8:1:2::ff",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("forwarded", ["203.0.113.9:5000", "[2001:db8::9]:443", "not-an-address"])
def test_login_behind_a_proxy_writing_ports_or_garbage_gets_an_answer(client, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    get_user_model().objects.create_user("clerk", "c@example.az", "correct-horse-battery", is_staff=True)
    response = client.post("/admin/login/", {"username": "clerk", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200  # the form again, with its error; never a 500


def test_a_correct_password_before_the_limit_signs_in(client):
    get_user_model().objects.create_user("clerk", "c@example.az", "correct-horse-battery", is_staff=True)
    client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": "clerk", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password123", "qwerty"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.parametrize(("language", "text"), [("ru", "Письма"), ("en", "Letters"), ("az", "Məktublar")])
def test_admin_speaks_the_staff_members_language(admin_client, language, text):
    response = admin_client.post("/i18n/setlang/", {"language": language, "next": "/admin/"}, follow=True)
    assert text in response.content.decode()


def test_guessing_one_password_from_many_addresses_locks_the_account(client, settings):
    user = get_user_model().objects.create_user("clerk", "c@example.az", "correct-horse-battery", is_staff=True)
    addresses = ["203.0.113.1", "198.51.100.2", "2001:db8:a::1", "2001:db8:b::1", "192.0.2.3"]
    for address in addresses[: settings.AXES_FAILURE_LIMIT]:
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR=address)
    response = client.post(
        "/admin/login/", {"username": user.username, "password": "correct-horse-battery"}, REMOTE_ADDR="192.0.2.200"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
