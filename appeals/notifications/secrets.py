"""The secret that confirms a subscription: a token in the e-mail's link or a 6-digit code by
SMS. Only its keyed digest is kept; a new one replaces it on every send."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

from ..models import NotificationChannel, Subscription


def _digest(subscription: Subscription, secret: str) -> str:
    message = f"{subscription.key}:{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_secret(subscription: Subscription) -> str:
    if subscription.channel == NotificationChannel.SMS:
        secret = f"{secrets.randbelow(10**6):06d}"
    else:
        secret = secrets.token_urlsafe(24)
    Subscription.objects.filter(pk=subscription.pk).update(secret_digest=_digest(subscription, secret))
    subscription.secret_digest = _digest(subscription, secret)
    return secret


def matches(subscription: Subscription, secret: str) -> bool:
    if not subscription.secret_digest or not secret:
        return False
    return hmac.compare_digest(subscription.secret_digest, _digest(subscription, secret.strip()))
