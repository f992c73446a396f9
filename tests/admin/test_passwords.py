"""Staff change their own password and reset a forgotten one by e-mail; the staff menu shows
each role its pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


def test_an_operator_changes_their_password(client, world):
    operator = world["users"]["operator"]
    client.force_login(operator)
    assert client.get("/az/accounts/password_change/").status_code == 200
    response = client.post(
        "/az/accounts/password_change/",
        {"old_password": "x-password-123", "new_password1": "Gömrük-2026-yeni", "new_password2": "Gömrük-2026-yeni"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/accounts/password_change/done/")
    operator.refresh_from_db()
    assert operator.check_password("Gömrük-2026-yeni")


def test_a_forgotten_password_is_reset_through_a_link_by_e_mail(client, world):
    clerk = world["users"]["clerk"]
    response = client.post("/az/accounts/password_reset/", {"email": clerk.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [clerk.email]
    link = re.search(r"https?://[^\s]+/accounts/reset/[^\s]+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Yeni-parol-2026!", "new_password2": "Yeni-parol-2026!"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=clerk.pk).check_password("Yeni-parol-2026!")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/az/accounts/password_reset/", {"email": "nobody@example.az"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [("supervisor", ["/az/callcentre/", "/az/reports/"], []), ("operator", ["/az/callcentre/"], ["/az/reports/"])],
)
def test_the_staff_menu_shows_each_role_its_pages(client, world, role, shown, hidden):
    client.force_login(world["users"][role])
    html = client.get("/az/callcentre/").content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    for path in shown:
        assert f'href="{path}"' in nav
    for path in hidden:
        assert f'href="{path}"' not in nav
    assert 'href="/az/accounts/password_change/"' in nav
