"""SMS to applicants, behind a small backend interface in the style of Django's e-mail backends,
chosen by ``SMS_URL``: ``console://`` prints, ``file:///dir`` writes one JSON file a message,
``locmem://`` keeps them in ``outbox`` (tests), ``http(s)://user:password@host/path`` posts JSON to
the operator's gateway. And the arithmetic of segments: a text of GSM-7 characters takes 160 in
one SMS (153 a part when split); one Azerbaijani letter (ə, ğ, ı, ş…) or Cyrillic makes the
whole text UCS-2, 70 in one SMS (67 a part)."""

from __future__ import annotations

import base64
import json
import math
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings

# GSM 03.38: the basic set (one septet each) and the extension table (two septets: escape + char).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
MAX_SEGMENTS = 2


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets or UTF-16 code units
    count: int


def segments(text: str) -> Segments:
    """How many SMS ``text`` takes, and in which encoding."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        units = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    return Segments(encoding, units, 1 if units <= single else math.ceil(units / part))


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text).count <= max_segments


class SMSError(Exception):
    """The gateway did not take the message (it may be tried again)."""


class SMSRefused(SMSError):
    """The gateway refused this message for good (a 4xx: a bad number, bad credentials):
    trying again would not help; the notice is marked failed at once."""


class BaseBackend:
    def send(self, *, to: str, text: str, key: str) -> None:
        """Hand one SMS to the gateway; ``key`` is the same on every try of the same notice."""
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, *, to: str, text: str, key: str) -> None:
        sys.stdout.write(f"--- SMS to {to} (from {settings.SMS_SENDER}, {key})\n{text}\n---\n")
        sys.stdout.flush()


outbox: list[dict] = []


class LocmemBackend(BaseBackend):
    """Keeps the messages in ``outbox``, one per key (a retry replaces, as a gateway dedupes)."""

    def send(self, *, to: str, text: str, key: str) -> None:
        outbox[:] = [message for message in outbox if message["key"] != key]
        outbox.append({"to": to, "text": text, "key": key})


class FileBackend(BaseBackend):
    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, *, to: str, text: str, key: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        payload = {"to": to, "text": text, "sender": settings.SMS_SENDER, "id": key}
        (self.directory / f"{key}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


class HttpBackend(BaseBackend):
    """POSTs ``{"to", "text", "sender", "id"}`` as JSON with an ``Idempotency-Key`` header (the
    notice's key): a gateway that already accepted that key must not send it again. Any 2xx is
    accepted; anything else, a timeout or a refused connection raises SMSError."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.credentials = (unquote(parts.username or ""), unquote(parts.password or ""))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))

    def send(self, *, to: str, text: str, key: str) -> None:
        body = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER, "id": key}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        request.add_header("Idempotency-Key", key)
        if any(self.credentials):
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            refused = 400 <= error.code < 500 and error.code not in (408, 425, 429)
            raise (SMSRefused if refused else SMSError)(f"gateway answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SMSError(f"gateway unreachable: {getattr(error, 'reason', error)}") from None


def get_backend(url: str | None = None) -> BaseBackend:
    url = url or settings.SMS_URL
    scheme = urlsplit(url).scheme
    if scheme == "console":
        return ConsoleBackend()
    if scheme == "locmem":
        return LocmemBackend()
    if scheme == "file":
        return FileBackend(urlsplit(url).path)
    if scheme in ("http", "https"):
        return HttpBackend(url)
    raise ValueError(f"SMS_URL: unknown scheme {scheme!r} (console, file, locmem, http, https)")


def send(*, to: str, text: str, key: str) -> None:
    get_backend().send(to=to, text=text, key=key)
