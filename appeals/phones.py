"""Phone numbers as the pages show and link them (pure)."""

from __future__ import annotations


def phone_uri(phone: str) -> str:
    """A phone number as a ``tel:`` URI (digits and a leading plus only)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:+{digits}" if phone.strip().startswith("+") else f"tel:{digits}"
