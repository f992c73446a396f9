"""The Jinja2 environment of the citizen's pages (the folder ``templates_public/``), through Django's own
Jinja2 backend. A found lookup's page costs less than half of what the same page cost in Django
templates, the largest part of a lookup (benchmarks/README.md); the staff's pages, the admin and
the e-mails stay Django templates.

What the templates have, besides the context:
- ``_`` and ``ngettext``: Django's catalogues, in the style of Jinja2's "new style" gettext:
  ``_("Letter %(number)s", number=n)`` escapes ``n``, not the translation, and every text is a
  format string (a literal per cent sign is ``%%``). ``make messages`` extracts them
  (web/management/commands/makemessages.py).
- ``url("appeals:home")``: a page's path in the page's language; ``static``; ``language()``.
- the filter ``date`` with a Django format (``"d.m.Y"``), in the current time zone (Baku).

The catalogues, the URL map and the formats are code, not data: each text, path and format is
worked out once per language in a process, which took the result page from 1.0 to 0.6 ms.
"""

from __future__ import annotations

import functools

import jinja2
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, translation
from django.utils.timezone import template_localtime
from markupsafe import Markup


def _language(context) -> str:
    # Pages rendered for a request carry it (appeals.context_processors.portal); the 429 and
    # 503 pages, rendered without one, ask Django.
    return context.get("LANGUAGE_CODE") or translation.get_language()


@functools.lru_cache(maxsize=4096)
def _text(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@functools.lru_cache(maxsize=4096)
def _plural(language: str, singular: str, plural: str, number: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, number)


@jinja2.pass_context
def gettext(context, message: str, **variables) -> Markup:
    return Markup(_text(_language(context), message)) % variables


@jinja2.pass_context
def ngettext(context, singular: str, plural: str, number: int, **variables) -> Markup:
    variables.setdefault("num", number)
    return Markup(_plural(_language(context), singular, plural, number)) % variables


@jinja2.pass_context
def language(context) -> str:
    return _language(context)


@jinja2.pass_context
def url(context, name: str) -> str:
    """The path of a page (``"appeals:home"``) in the page's language."""
    return _path(name, _language(context), get_script_prefix())


@functools.lru_cache(maxsize=256)
def _path(name: str, language: str, script_prefix: str) -> str:
    with translation.override(language):
        return reverse(name)


# Django's date formats that the pages use, as strftime formats (numbers only, so no locale).
_STRFTIME = {"d.m.Y": "%d.%m.%Y", "d.m.Y H:i": "%d.%m.%Y %H:%M"}


def date(value, format: str) -> str:
    """Django's ``date`` filter, in the current time zone (Baku) as Django templates show it."""
    if value in (None, ""):
        return ""
    value = template_localtime(value)
    if format == "c":
        return value.isoformat()
    if format in _STRFTIME:
        return value.strftime(_STRFTIME[format])
    return dateformat.format(value, format)


def environment(**options) -> jinja2.Environment:
    # Like Django templates, a missing variable (or an attribute of one) is empty, in
    # development as in production (the backend's default in DEBUG prints it instead).
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(**options)
    env.globals.update(_=gettext, ngettext=ngettext, url=url, static=static, language=language)
    env.filters["date"] = date
    return env
