"""Settings shared by every environment. Values come from the environment (django-environ)."""

import datetime as dt
from importlib.util import find_spec
from pathlib import Path

import django
import environ
from django.utils.translation import gettext_lazy as _

from .mail import mail_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# Django 6 has the tasks framework built in; the 5.2 fallback takes it from the django-tasks backport.
# (django_tasks_db's app label is django_tasks_database.)
TASK_APPS = ["django_tasks_db"] if find_spec("django.tasks") else ["django_tasks", "django_tasks_db"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *TASK_APPS,
    "appeals",
    "callcentre",
    "api",
    "reports",
    "web",
]

MIDDLEWARE = [
    "web.middleware.RequestIdMiddleware",
    "web.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.PermissionsPolicyMiddleware",
    "web.middleware.RejectNulInAdminMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "web.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "dgk_tracker.urls"
WSGI_APPLICATION = "dgk_tracker.wsgi.application"

# The citizen's pages are Jinja2 (templates_public/, web/templating.py: the result page renders in a
# quarter of the time); everything else, the staff's pages, the admin and the e-mails, Django
# templates. A name is looked for in this order.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates_public"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "web.templating.environment",
            "context_processors": ["appeals.context_processors.portal"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "appeals.context_processors.portal",
            ],
        },
    },
]

# DATABASE_URL unset means SQLite in the project folder: zero set-up for development.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that is down or slow costs a request seconds, not minutes: the visitor gets the
# 503 page and the app recovers by itself when the database is back.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=2)  # libpq's least
# Web processes set 5000 in wsgi.py; management commands (migrations, imports) get no limit.
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=0)


def bounded_database(config: dict) -> dict:
    if config["ENGINE"].endswith("postgresql"):
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
        if DB_STATEMENT_TIMEOUT_MS:
            options.setdefault("options", f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}")
    return config


bounded_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "callcentre:search"
LOGOUT_REDIRECT_URL = "login"

# Redis, when REDIS_URL is set, holds the rate-limit counters that every app process shares
# (web/ratelimit.py): counters only, never applicant data. Without it each process
# counts for itself. Django's cache is local memory: nothing else is cached.
REDIS_URL = env("REDIS_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public lookups allowed per client address (regulation numbers are sequential: this is what
# stops enumeration). Pairs of (lookups, window in seconds).
LOOKUP_RATE_LIMITS = [
    (env.int("LOOKUP_RATE_PER_MINUTE", default=30), 60),
    (env.int("LOOKUP_RATE_PER_DAY", default=300), 24 * 60 * 60),
]

# Call Centre searches allowed per operator (each page of results counts): a person answering
# callers stays far below; a script paging through every applicant does not.
CALLCENTRE_SEARCH_LIMITS = [
    (env.int("CALLCENTRE_SEARCHES_PER_MINUTE", default=30), 60),
    (env.int("CALLCENTRE_SEARCHES_PER_DAY", default=2000), 24 * 60 * 60),
]
# Messages (the new API client's token among them) stay on the server, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers on every response (production adds HSTS and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: Django 6's middleware (the 5.2 fallback has none; see README).
if django.VERSION >= (6, 0):
    MIDDLEWARE.insert(2, "django.middleware.csp.ContentSecurityPolicyMiddleware")
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Staff accounts: lockout after repeated failures (django-axes), sessions that expire.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Per username and address, and per username alone: guessing one account's password from many
# addresses locks it too (the price: anyone can lock an account for the cool-off time).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
# Lockouts count by the same proxy-aware address as lookups, an IPv6 client by its /64.
AXES_CLIENT_IP_CALLABLE = "web.http.client_key_of"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Staff sign in with a second factor (web/second_factor.py): on in production, off for `make run`'s
# demo and the tests unless set.
STAFF_SECOND_FACTOR = env.bool("STAFF_SECOND_FACTOR", default=False)
OTP_TOTP_ISSUER = "DGK"

# Audit: django-simple-history keeps every version of a letter; nobody may revert one.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Languages: Azerbaijani is the default; every public page lives under /az/, /ru/ or /en/.
LANGUAGE_CODE = "az"
LANGUAGES = [
    ("az", "Azərbaycanca"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Baku"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# Outgoing mail from EMAIL_URL (smtp://user:password@host:587, consolemail://, dummymail://).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
_email_timeout = env.int("EMAIL_TIMEOUT", default=10)
vars().update(mail_settings(EMAIL_CONFIG, timeout=_email_timeout))
# Citizens' e-mails come from the Committee, named in Azerbaijani (the state language).
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Dövlət Gömrük Komitəsi <noreply@customs.gov.az>")

# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Key for the salted hash of client addresses in the lookup log (never the raw address).
LOOKUP_LOG_SALT = env("LOOKUP_LOG_SALT", default=SECRET_KEY)

# Examination terms in working days (Law on Citizens' Appeals); configurable, not hard-coded.
APPEALS_TERM_WORKING_DAYS = env.int("APPEALS_TERM_WORKING_DAYS", default=15)
APPEALS_EXTENDED_TERM_WORKING_DAYS = env.int("APPEALS_EXTENDED_TERM_WORKING_DAYS", default=30)
APPEALS_MAX_EXTENSION_WORKING_DAYS = env.int("APPEALS_MAX_EXTENSION_WORKING_DAYS", default=30)
# Forwarding to the competent body (art. 7.10) and telling the applicant why a letter is left
# without consideration (art. 8), in working days from registration.
APPEALS_FORWARDING_WORKING_DAYS = env.int("APPEALS_FORWARDING_WORKING_DAYS", default=3)
APPEALS_NON_CONSIDERATION_NOTICE_WORKING_DAYS = env.int("APPEALS_NON_CONSIDERATION_NOTICE_WORKING_DAYS", default=5)
# Which day a term counts first. The law does not say; by default the working day after
# registration. True makes the registration day itself (when a working day) the first day.
APPEALS_TERM_COUNTS_REGISTRATION_DAY = env.bool("APPEALS_TERM_COUNTS_REGISTRATION_DAY", default=False)
# From this month on, administrators are warned while next year's calendar is not confirmed.
APPEALS_CALENDAR_WARNING_MONTH = env.int("APPEALS_CALENDAR_WARNING_MONTH", default=11)
# "Due soon" in the admin filter, the reports and the heads' alerts: this many working days ahead.
APPEALS_DUE_SOON_WORKING_DAYS = env.int("APPEALS_DUE_SOON_WORKING_DAYS", default=3)
# The largest request body any page accepts (a form is a few KB); larger ones get a 413 before
# anything reads them. The admin's registry upload may send twice IMPORT_ADMIN_MAX_BYTES.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=2**20)
# The largest registry export the import accepts (bytes); larger files are refused, not read.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 2**20)
# Through the admin the file is kept in the database and the imports worker runs it: 40 MB holds
# a 100,000-row export (37 MB in benchmarks/import_letters.py). Larger ones go to the command.
IMPORT_ADMIN_MAX_BYTES = env.int("IMPORT_ADMIN_MAX_BYTES", default=40 * 2**20)
# The public address the notices link to (the tracking and unsubscribe links).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# Background work: rows in the database (django-tasks-db), run by `manage.py run_worker`. The
# notices go out on their own queue so a long import never holds them up.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notices", "imports"],
    }
}
# A notice the gateway refused is tried again after 1, 5, 25, 125 minutes... and marked failed
# after NOTICE_MAX_ATTEMPTS tries.
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=6)
NOTICE_RETRY_BASE_SECONDS = env.int("NOTICE_RETRY_BASE_SECONDS", default=60)
# The right-hand side of the notices' Message-IDs (the public site's host).
NOTICE_MESSAGE_ID_DOMAIN = env("NOTICE_MESSAGE_ID_DOMAIN", default="tracker.customs.gov.az")

# SMS to applicants: SMS_URL picks the backend. console:// (development: printed), file:///path
# (one file a message), locmem:// (tests), https://user:password@gateway/send (the operator's HTTP
# gateway, JSON; it must accept the Idempotency-Key header so a retry never sends twice).
SMS_URL = env("SMS_URL", default="console://")
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)
SMS_SENDER = env("SMS_SENDER", default="DGK")
# "Notify me" without an account: confirmations expire after this many hours; at most this many
# unconfirmed requests per contact, per letter and per client address at a time.
NOTIFY_ME_CONFIRM_HOURS = env.int("NOTIFY_ME_CONFIRM_HOURS", default=24)
NOTIFY_ME_MAX_PENDING = env.int("NOTIFY_ME_MAX_PENDING", default=3)
# ... and per letter, higher: a few junk requests must not shut a letter's followers out.
NOTIFY_ME_MAX_PENDING_PER_LETTER = env.int("NOTIFY_ME_MAX_PENDING_PER_LETTER", default=10)

# The Committee's public contacts (regulation 2.5), shown on every page.
COMMITTEE_CONTACTS = {
    "website": "https://www.customs.gov.az",
    "email": "office@customs.gov.az",
    "phone": "+994124042200",
    "phone_display": "(+99412) 404-22-00",
    "call_centre": "1956",
    "call_centre_display": "195(6)",
    # The postal address and the hours the Committee receives citizens, in each language.
    "address": {
        "az": env("COMMITTEE_ADDRESS_AZ", default="Bakı şəhəri, AZ1029, Heydər Əliyev prospekti, 93"),
        "ru": env("COMMITTEE_ADDRESS_RU", default="г. Баку, AZ1029, проспект Гейдара Алиева, 93"),
        "en": env("COMMITTEE_ADDRESS_EN", default="93 Heydar Aliyev Avenue, Baku AZ1029"),
    },
    "opening_hours": {
        "az": env(
            "COMMITTEE_OPENING_HOURS_AZ", default="Bazar ertəsi – cümə, 09:00–18:00 (nahar fasiləsi 13:00–14:00)"
        ),
        "ru": env(
            "COMMITTEE_OPENING_HOURS_RU", default="Понедельник – пятница, 09:00–18:00 (обеденный перерыв 13:00–14:00)"
        ),
        "en": env("COMMITTEE_OPENING_HOURS_EN", default="Monday to Friday, 09:00–18:00 (lunch break 13:00–14:00)"),
    },
}
# The Committee's own page of electronic services (regulation 2.4), linked from the portal.
COMMITTEE_SERVICE_PAGE_URL = env("COMMITTEE_SERVICE_PAGE_URL", default="https://www.customs.gov.az/az/e-services")

# The product's official name, in the admin's header and title; locale/ translates it.
PORTAL_NAME = _("State Customs Committee — tracking the execution of appeals")

# The PDF status statement's font: Unicode (ə, ğ, ı, ş, Cyrillic), from Debian's fonts-dejavu-core.
PDF_FONT = env("PDF_FONT", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PDF_FONT_BOLD = env("PDF_FONT_BOLD", default="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Structured JSON logs to stdout, each line with the request id (X-Request-ID).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "web.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # fpdf2's font subsetting logs a line per table of every PDF statement.
        "fontTools": {"level": "WARNING"},
        # 400 and 404 answers are a citizen's typo or an unknown number, already in the lookup
        # log: a warning line for each would be noise, and it cost a third of such a request.
        "django.request": {"level": "ERROR"},
    },
}
