"""The secret that confirms a subscription: a token in the e-mail's link or a 6-digit code by
SMS. Only its keyed digest is kept."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from ..models import NotificationChannel, Subscription


def _digest(subscription: Subscription, secret: str) -> str:
    message = f"{subscription.key}:{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def secret_for(subscription: Subscription, seed: str) -> str:
    """The secret of the confirmation notice ``seed`` (its key): drawn from the server's key,
    so every try of that notice sends the same one and only its digest is stored."""
    mac = hmac.new(settings.SECRET_KEY.encode(), f"confirm:{subscription.key}:{seed}".encode(), hashlib.sha256)
    if subscription.channel == NotificationChannel.SMS:
        secret = f"{int.from_bytes(mac.digest()[:8]) % 10**6:06d}"
    else:
        secret = base64.urlsafe_b64encode(mac.digest()[:24]).decode()
    digest = _digest(subscription, secret)
    if subscription.secret_digest != digest:
        Subscription.objects.filter(pk=subscription.pk).update(secret_digest=digest)
        subscription.secret_digest = digest
    return secret


def matches(subscription: Subscription, secret: str) -> bool:
    if not subscription.secret_digest or not secret:
        return False
    return hmac.compare_digest(subscription.secret_digest, _digest(subscription, secret.strip()))
