"""Turn django-environ's EMAIL_URL config into Django 6.1's MAILERS setting (or, on the
Django 5.2 fallback, the older EMAIL_* settings)."""

from __future__ import annotations

import django

_OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}


def mailers_from_email_url(config: dict, *, timeout: int) -> dict:
    backend = config["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {name: config[key] for key, name in _OPTION_NAMES.items() if config.get(key) not in (None, "")}
        options["timeout"] = timeout
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


def mail_settings(config: dict, *, timeout: int) -> dict:
    """The settings to add to a settings module for this EMAIL_URL config."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": mailers_from_email_url(config, timeout=timeout)}
    return {**config, "EMAIL_TIMEOUT": timeout}
