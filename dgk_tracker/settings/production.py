"""Production: chosen explicitly. SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL, SMS_URL,
TRUSTED_PROXY_COUNT and PUBLIC_BASE_URL have no default."""

from .base import *  # noqa: F403
from .base import bounded_database, env, mail_settings

# Applicants must get their acknowledgements: production has no console mail fallback.
vars().update(mail_settings(env.email_url("EMAIL_URL"), timeout=env.int("EMAIL_TIMEOUT", default=10)))

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": bounded_database(env.db("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEBUG = False
# Every staff role signs in with a second factor (TOTP or a recovery code).
STAFF_SECOND_FACTOR = env.bool("STAFF_SECOND_FACTOR", default=True)
# Required: behind a proxy every visitor would otherwise share the proxy's address (one rate
# limit for the whole country); 0 states explicitly that clients connect directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")

# Applicants' SMS: production has no console fallback either (it would print their numbers
# into the logs and call the messages sent).
SMS_URL = env("SMS_URL")

# Links in e-mails to applicants point here: required, or they would point at 127.0.0.1.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL")

# X-Forwarded-Proto is believed only from a trusted proxy: with none, a client could claim
# https and skip the redirect to it.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_SECURE_PROXY_SSL", default=TRUSTED_PROXY_COUNT > 0)
    else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Cookies only over HTTPS; `make serve` over plain http on this machine turns it off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
# Origins allowed to POST forms when a proxy changes the host or scheme (e.g. https://tracker.customs.gov.az).
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
