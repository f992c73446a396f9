"""Request helpers for the views (nothing below the views imports this)."""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from .layout import layout_context_of


def parse_address(text: str) -> str | None:
    """An address as a proxy may write it (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]``,
    ``[2001:db8::1]:443``) in its canonical form, or None when it is not an address."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port (a bare IPv6 address has two colons or more)
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address. X-Forwarded-For is believed only for the configured number of
    trusted proxies in front of the app: the address they saw is that many entries from the end.
    What is not an address there is ignored, and the connecting address is used."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = parse_address(forwarded[-proxies])
            if address is not None:
                return address
    return parse_address(request.META.get("REMOTE_ADDR", "")) or ""


def client_key(address: str) -> str:
    """What clients are counted by: the address; an IPv6 client by its /64 (given as the
    network's first address), which one household or server gets, so rotating through it does
    not dodge a limit or a lockout."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_key_of(request: HttpRequest) -> str:
    """The login lockout's key (django-axes): the same per-address, per-/64 rule as lookups."""
    return client_key(client_address(request))


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The translated 429 page in the site's layout, with how long to wait. A bot storm asks for
    it thousands of times a second, and it says the same thing to everyone: it is drawn once per
    language, page and waiting time in each process (public text only, no query, no user), which
    keeps the rate-limited path above half the server's ceiling (benchmarks/README.md)."""
    response = HttpResponse(_refusal_page(get_language(), request.path, retry_after), status=429)
    response["Retry-After"] = str(retry_after)
    return response


@functools.lru_cache(maxsize=512)
def _refusal_page(language: str, path: str, retry_after: int) -> str:
    with translation.override(language):
        return render_to_string("429.html", {"retry_after": retry_after, **layout_context_of(path)})
