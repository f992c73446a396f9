"""What the site's layout (templates/base.html) needs, from the request and the settings alone:
the Committee's contacts for the header and the footer, and the links to the same page in each
language. Nothing here touches the database, so the 503 page can be drawn in the layout while
the database is down."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language


def _in_language(path: str, current: str, code: str) -> str:
    """The same page in another language: on /<lang>/… pages only the prefix changes (our URL
    paths are the same in every language), which saves resolving the path three times. A path
    that starts with several slashes (``//evil.example/x`` on a 404) is made one: a browser
    would read it as another site."""
    path = "/" + path.lstrip("/")
    prefix = f"/{current}/"
    if path.startswith(prefix):
        return f"/{code}/{path[len(prefix) :]}"
    return translate_url(path, code)


def language_links(request: HttpRequest) -> list[dict]:
    """A link to the current page, query included, in each language."""
    return links_to(request.path, request.META.get("QUERY_STRING", ""))


def links_to(path: str, query: str = "") -> list[dict]:
    """A link to ``path`` (and ``query``) in each language."""
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = _in_language(path, current, code)
        if query:
            url = f"{url}?{query}"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def layout_context(request: HttpRequest | None) -> dict:
    """The variables base.html and its includes read, besides ``request``."""
    return {
        "contacts": settings.COMMITTEE_CONTACTS,
        "language_links": language_links(request) if request is not None else [],
    }


def layout_context_of(path: str) -> dict:
    """The same for a page drawn for anyone at ``path``: no request, no query."""
    return {"contacts": settings.COMMITTEE_CONTACTS, "language_links": links_to(path)}


def page_path(name: str, language: str) -> str:
    """The path of a page that takes no arguments (``"appeals:track"``) in ``language``."""
    return _page_path(name, language, get_script_prefix())


@functools.lru_cache(maxsize=256)
def _page_path(name: str, language: str, script_prefix: str) -> str:
    # The URL map is code: the same name, language and prefix (the current one, which reverse
    # puts in front) always give the same path, so each is worked out once per process
    # (reversing was a tenth of the result page's time).
    with translation.override(language):
        return reverse(name)


@receiver(setting_changed)
def _forget_paths(*, setting: str, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES"):
        _page_path.cache_clear()
