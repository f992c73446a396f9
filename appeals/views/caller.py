"""The lookup use case's caller, taken from a request (the page and the API both need it)."""

from __future__ import annotations

from django.http import HttpRequest

from web.http import client_address, client_key

from ..lookup import Caller


def lookup_caller(request: HttpRequest, channel, api_client=None) -> Caller:
    """The lookup use case's caller for this request (``api_client`` for the API channel)."""
    address = client_address(request)
    return Caller(
        channel=channel,
        address=address,
        client_key=client_key(address),
        api_client_id=api_client.pk if api_client else None,
        api_rate_limit_per_minute=api_client.rate_limit_per_minute if api_client else 0,
    )
