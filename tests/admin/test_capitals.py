"""Azerbaijani writes the capital of i as İ: no admin page in az shows "Icraçılar" or "Istifadəçilər"
where the catalogue has "icraçılar". Every admin page a superuser can open is rendered."""

from __future__ import annotations

import contextlib
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from appeals import services
from tests.admin.catalogues import translations

pytestmark = pytest.mark.django_db
# A word that starts with a dotless capital I and goes on in lower case, and ends there: not
# the start of a random string (a password salt's shown prefix such as "Iki***" or "IkiQ7").
WRONG_CAPITAL = re.compile(r"(?<![\w&#])I[a-zçəğıöşü]+(?![\w*])")


def catalogue_words() -> set[str]:
    """Every lower-case word of the Azerbaijani translations (ours and Django's own)."""
    from pathlib import Path

    import django

    words = set()
    sources = [Path(settings.BASE_DIR) / "locale/az/LC_MESSAGES/django.po"]
    sources += (Path(django.__file__).parent / "contrib").glob("*/locale/az/LC_MESSAGES/django.po")
    for path in sources:
        words |= set(re.findall(r"\bi[a-zçəğıöşü]+", " ".join(translations(path))))
    return words


def admin_pages(world) -> list[str]:
    pages = ["/admin/", "/admin/password_change/"]
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        for view, args in (("changelist", []), ("add", [])):
            with contextlib.suppress(NoReverseMatch):
                pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
    letter = world["own"]
    for action in ("status", "assign", "extend", "history", "acknowledgement"):
        pages.append(f"/admin/appeals/letter/{letter.pk}/{action}/")
    pages.append("/admin/appeals/letter/import/")
    return pages


def test_no_admin_page_capitalises_i_the_english_way(client, world):
    services.extend_due_date(letter=world["own"], working_days=3, reason="x", ground="other_body")
    client.force_login(world["users"]["admin"], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "az"
    known = catalogue_words()
    wrong = {}
    pages = admin_pages(world)
    assert len(pages) > 40
    for path in pages:
        response = client.get(path)
        if response.status_code == 403:  # read-only records have no add page, for anyone
            continue
        assert response.status_code == 200, path
        html = response.content.decode()
        found = {word for word in WRONG_CAPITAL.findall(html) if "i" + word[1:] in known}
        if found:
            wrong[path] = sorted(found)
    assert wrong == {}


def test_the_check_can_fail():
    assert WRONG_CAPITAL.findall("<a>Icraçılar</a> İcraçılar Iki*** IkiQ7") == ["Icraçılar"]
