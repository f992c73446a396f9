"""What every web worker would otherwise build during its first requests (compiled templates,
translation catalogues, and each language's URL map), built once
in gunicorn's master before it forks: the workers share it, and a new or recycled worker
answers its first citizens as fast as its thousandth. Touches neither the database nor Redis.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

logger = logging.getLogger(__name__)

PUBLIC_PAGES = (
    "appeals:home",
    "appeals:how_it_works",
    "appeals:complaints",
    "appeals:contacts",
    "appeals:privacy",
    "appeals:accessibility",
)
TEMPLATES = (
    "appeals/result.html",
    "includes/_lookup_form.html",
    "includes/_notify_form.html",
    "includes/_error_summary.html",
    "includes/_call_centre.html",
    "400.html",
    "404.html",
    "429.html",
    "503.html",
    "standalone_error.html",
)


def warm_up() -> None:
    """Best effort: a failure is logged and the workers simply warm up on their own."""
    try:
        _warm_up()
    except Exception:
        logger.exception("warm-up failed; the workers will build what they need themselves")
    finally:
        connections.close_all()  # never hand a connection to the forked workers


def _warm_up() -> None:
    import redis  # noqa: F401  (the cache's client library loads lazily, in 60 ms)

    factory = RequestFactory(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in PUBLIC_PAGES:
                path = reverse(name)
                request = factory.get(path)
                request.LANGUAGE_CODE = code
                request.user = AnonymousUser()
                request.resolver_match = match = resolve(path)
                match.func(request, *match.args, **match.kwargs)
            for template in TEMPLATES:
                get_template(template)
