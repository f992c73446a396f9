"""What every page's layout needs: the Committee's contacts and the language switcher links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def language_links(request: HttpRequest) -> list[dict]:
    """A link to the current page, query included, in each language."""
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def portal(request: HttpRequest) -> dict:
    return {
        "contacts": settings.COMMITTEE_CONTACTS,
        "language_links": language_links(request),
    }
