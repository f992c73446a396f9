"""Azerbaijani capitalises i as İ, not I (as Turkish does). Python's ``str.upper`` and with it
Django's ``capfirst``, which the admin applies to every model, field and app name, give
``Icraçılar`` for *icraçılar*. This swaps Django's ``capfirst`` (the function, the template
filter, and the modules that imported it by name) for one that asks the active language.
Installed once by ``WebConfig.ready``; ``tests/admin/test_capitals.py`` renders every admin page
in Azerbaijani and looks for the wrong capital."""

from __future__ import annotations

import importlib

from django.template import defaultfilters
from django.utils.functional import keep_lazy_text
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

DOTTED_I_LANGUAGES = frozenset({"az", "tr"})
# Django's modules that imported ``capfirst`` from django.utils.text by name.
IMPORTERS = (
    "django.utils.text",
    "django.contrib.admin.sites",
    "django.contrib.admin.utils",
    "django.contrib.admin.templatetags.admin_list",
    "django.contrib.auth.forms",
    "django.db.models.base",
    "django.db.models.fields",
    "django.forms.models",
)


def upper_first(text: str) -> str:
    """``text`` with its first letter in upper case as the active language writes it."""
    if not text:
        return text
    if text[0] == "i" and (get_language() or "").split("-")[0] in DOTTED_I_LANGUAGES:
        return "İ" + text[1:]
    return text[0].upper() + text[1:]


@keep_lazy_text
def capfirst(x):
    """django.utils.text.capfirst, with the dotted capital İ in Azerbaijani."""
    if not x:
        return x
    return upper_first(str(x))


@defaultfilters.stringfilter
def capfirst_filter(value):
    """The ``capfirst`` template filter, the same way."""
    result = upper_first(value)
    return mark_safe(result) if isinstance(value, SafeData) else result


def install() -> None:
    for name in IMPORTERS:
        importlib.import_module(name).capfirst = capfirst
    importlib.import_module("django.contrib.admin.helpers").capfirst = capfirst_filter
    defaultfilters.register.filter("capfirst", capfirst_filter, is_safe=True)
