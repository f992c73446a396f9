"""The citizen's pages' Jinja2 helpers (web/templating.py)."""

from __future__ import annotations

from unittest import mock

from django.template import engines
from django.utils import translation

from web import templating


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_translated_text_without_values_is_shown_as_it_is():
    templating._text.cache_clear()
    try:
        with translation.override("ru"), mock.patch("django.utils.translation.gettext", return_value="Скидка 100%"):
            assert render('{{ _("Contacts") }}') == "Скидка 100%"
    finally:
        templating._text.cache_clear()


def test_values_are_escaped_and_the_translation_is_not():
    html = render('{{ _("Letter %(number)s", number=typed) }}', typed='<b>"x"</b>')
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert render("{{ _('See <a href=\"%(u)s\">it</a>', u=path) }}", path="/az/") == 'See <a href="/az/">it</a>'


def test_a_page_path_follows_the_language():
    assert render("{{ url('appeals:home') }}", LANGUAGE_CODE="ru") == "/ru/"
    with translation.override("en"):
        assert render("{{ url('appeals:home') }}") == "/en/"
