"""Public pages, languages and the switcher."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_default_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/az/"


def test_root_follows_the_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")["Location"] == "/ru/"


# One known string per language (djangoproject.com's LocaleSmokeTests idea).
SMOKE = {
    "az": "Qeydiyyat nömrəsi",
    "ru": "Регистрационный номер",
    "en": "Registration number",
}


@pytest.mark.parametrize(("language", "text"), SMOKE.items())
def test_home_page_is_translated(client, language, text):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert text in html


@pytest.mark.parametrize("page", ["", "how-it-works/", "complaints/", "contacts/"])
@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_every_public_page_answers_in_every_language(client, page, language):
    response = client.get(f"/{language}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert "style=" not in html
    assert "office@customs.gov.az" in html  # regulation 2.5 contacts in the footer
    assert "195(6)" in html


def test_complaints_page_cites_the_regulation(client):
    html = client.get("/en/complaints/").content.decode()
    for reference in ("51", "74", "78"):
        assert reference in html


def test_language_switcher_keeps_the_page_and_the_query(client):
    html = client.get("/en/track/", {"number": "2026-000001-4"}).content.decode()
    assert 'href="/az/track/?number=2026-000001-4"' in html
    assert 'href="/ru/track/?number=2026-000001-4"' in html


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()
