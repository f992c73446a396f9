"""Where a notice can go: an Azerbaijani mobile number (SMS) or an e-mail address, normalised,
and the keyed digest by which contacts are counted without being kept readable."""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MOBILE_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


def mobile_number(text: str) -> str | None:
    """``text`` as an E.164 Azerbaijani mobile number (+99450…, 051, 055, 060, 070, 077, 099, 010),
    however it was written (050 123 45 67, 994501234567, +994 50 …); None for anything else, a
    landline included: SMS go only to Azerbaijani mobiles."""
    if not text or not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, "AZ")
    except phonenumbers.NumberParseException:
        return None
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "AZ"
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(text: str) -> str | None:
    """``text`` as an e-mail address (the domain lower-cased), or None."""
    text = (text or "").strip()
    try:
        validate_email(text)
    except ValidationError:
        return None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def counted_as(address: str) -> str:
    """The form a contact is counted in: an e-mail address lower-cased and without its
    ``+tag``, so ``Name+1@x.az`` and ``name@x.az`` are one mailbox; a phone as it is (E.164)."""
    local, at, domain = address.lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if at else address


def digest(text: str) -> str:
    """A keyed hash of a contact or client address: the same input counts together, and the
    input cannot be read back (the lookup log's salt). Nothing gives nothing."""
    if not text:
        return ""
    return hmac.new(settings.LOOKUP_LOG_SALT.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
