"""The paper acknowledgement a clerk hands to a person who brings a letter in person or sends it
by post: the number, the dates, how to track it, and a QR code (segno, inline SVG, made on the
server) that opens the result page in the acknowledgement's language."""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from .notifications.texts import tracking_url


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (attributes only, no style or script)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=4, title=url, omitsize=True)


def context(letter, language: str) -> dict:
    url = tracking_url(letter.registration_number, language)
    return {
        "letter": letter,
        "language": language,
        "tracking_url": url,
        "qr": mark_safe(qr_svg(url)),
        "home_url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{language}/",
        "contacts": settings.COMMITTEE_CONTACTS,
        "printed_at": timezone.localtime(),
    }
