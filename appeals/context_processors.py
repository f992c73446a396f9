"""What every page's layout needs: the Committee's contacts (its address and opening hours in the
page's language) and the language switcher links. No database."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from web.layout import layout_context

from .models import active_language


def in_active_language(value: dict | str) -> str:
    """A setting given per language (``{"az": …, "ru": …, "en": …}``) in the page's language,
    or in Azerbaijani when it has none for it; a plain string as it is."""
    if isinstance(value, dict):
        return value.get(active_language()) or value.get("az", "")
    return value


def portal(request: HttpRequest) -> dict:
    contacts = settings.COMMITTEE_CONTACTS
    return {
        # Asked once here for the whole page's texts and links (web/templating.py).
        "LANGUAGE_CODE": active_language(),
        **layout_context(request),
        "committee_address": in_active_language(contacts.get("address", "")),
        "committee_opening_hours": in_active_language(contacts.get("opening_hours", "")),
    }
