"""What other packages show in the admin, in the page's language.

django-axes, django-tasks-db and Django mark their strings for translation: ``locale/``
translates them (``third_party_strings.py`` keeps their msgids there). django-otp marks none, and
django-axes, django-simple-history and django-tasks-db build some names and titles in English
code (``__str__``, f-strings, ``"historical {}"``, column titles): those get translatable names
here, for display only. django-tasks-db's admin shows its rows as code does (ids, function and
queue names, JSON): ours shows our tasks and queues by name. A model or field
name keeps the package's English as its msgid. Nothing here changes what migrations see: a
model's ``Meta`` (``original_attrs``) and a field's ``_verbose_name`` stay as the package wrote
them, and a help text reads as the package's own English when no language is active."""

from __future__ import annotations

import json

from axes.admin import AccessAttemptAdmin
from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ..models import DeliveryState, Letter

APP_NAMES = {
    "axes": _("Sign-ins"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Recovery codes"),
    "django_tasks_database": _("Background tasks"),
}

MODEL_NAMES = {
    TOTPDevice: (_("TOTP device"), _("TOTP devices")),
    StaticDevice: (_("static device"), _("static devices")),
    StaticToken: (_("static token"), _("static tokens")),
    Letter.history.model: (_("letter version"), _("letter versions")),
    DBTaskResult: (_("task"), _("tasks")),
}

# (label, help text) of the fields the admin shows; None keeps what the package wrote.
_DEVICE_FIELDS = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "created_at": (
        _("created at"),
        _("The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "throttling_failure_timestamp": (
        _("throttling failure timestamp"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (_("throttling failure count"), _("Number of successive failed attempts.")),
}
FIELD_NAMES = {
    TOTPDevice: {
        **_DEVICE_FIELDS,
        "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
        "step": (_("step"), _("The time step in seconds.")),
        "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
        "digits": (_("digits"), _("The number of digits to expect in a token.")),
        "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
        "drift": (_("drift"), _("The number of time steps the prover is known to deviate from our clock.")),
    },
    StaticDevice: _DEVICE_FIELDS,
    StaticToken: {"token": (_("token"), None)},
    Letter.history.model: {
        "history_date": (_("history date"), None),
        "history_change_reason": (_("history change reason"), None),
        "history_type": (_("history type"), None),
        "history_user": (_("history user"), None),
    },
}


# Our background tasks (``@task``) by their paths, and the queues and backend of settings.TASKS.
TASK_NAMES = {
    "appeals.notifications.deliver_notices": _("Sending the notices of a change"),
    "appeals.notifications.deliver_notice": _("Sending a notice again"),
    "appeals.imports.jobs.run_import_job": _("Import from the registry"),
    "appeals.upkeep.sweep": _("Periodic upkeep"),
}
QUEUE_NAMES = {
    "default": pgettext_lazy("task queue", "default"),
    "notices": pgettext_lazy("task queue", "notices"),
    "imports": pgettext_lazy("task queue", "imports"),
}
BACKEND_NAMES = {"default": pgettext_lazy("task backend", "default")}
# The words in what our tasks return: a notice's state (or "skipped"), the upkeep's counts.
_NOTICE_RESULTS = {**dict(DeliveryState.choices), "skipped": _("Skipped: sent already, or this try was made already")}
RESULTS = {
    "appeals.notifications.deliver_notices": _NOTICE_RESULTS,
    "appeals.notifications.deliver_notice": _NOTICE_RESULTS,
    "appeals.upkeep.sweep": {
        "notices resumed": _("notices queued again"),
        "requests expired": _("unconfirmed requests expired"),
        "imports abandoned": _("abandoned imports failed"),
    },
}


def _moment(value) -> str:
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}" if value else "—"


def access_log_str(self: AccessLog) -> str:
    return gettext("Sign-in of %(username)s at %(time)s") % {
        "username": self.username or "—",
        "time": _moment(self.attempt_time),
    }


def access_failure_str(self: AccessFailureLog) -> str:
    if self.locked_out:
        text = gettext("Failed sign-in of %(username)s at %(time)s; the account was locked")
    else:
        text = gettext("Failed sign-in of %(username)s at %(time)s")
    return text % {"username": self.username or "—", "time": _moment(self.attempt_time)}


def access_attempt_str(self: AccessAttempt) -> str:
    return gettext("Failed sign-ins of %(username)s since %(time)s") % {
        "username": self.username or "—",
        "time": _moment(self.attempt_time),
    }


def static_token_str(self: StaticToken) -> str:
    return gettext("Recovery code no. %(number)s") % {"number": self.pk}


def letter_version_str(self) -> str:
    return gettext("%(letter)s, version of %(time)s") % {
        "letter": self.history_object,
        "time": _moment(self.history_date),
    }


def task_label(result: DBTaskResult) -> str:
    return str(TASK_NAMES.get(result.task_path, "")) or result.task_name


def task_result_str(self: DBTaskResult) -> str:
    return gettext("%(task)s, queued at %(time)s") % {"task": task_label(self), "time": _moment(self.enqueued_at)}


def install() -> None:
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for model, (singular, plural) in MODEL_NAMES.items():
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    for model, fields in FIELD_NAMES.items():
        for field_name, (label, help_text) in fields.items():
            field = model._meta.get_field(field_name)
            field.verbose_name = label
            if help_text is not None:
                field.help_text = help_text
    AccessLog.__str__ = access_log_str
    AccessFailureLog.__str__ = access_failure_str
    AccessAttempt.__str__ = access_attempt_str
    StaticToken.__str__ = static_token_str
    Letter.history.model.__str__ = letter_version_str
    DBTaskResult.__str__ = task_result_str


class TranslatedFieldsetsMixin:
    """django-otp titles its fieldsets in English code: the catalogue has the titles."""

    search_help_text = _("Search by the user's username or e-mail address.")

    def get_fieldsets(self, request, obj=None):
        return [(gettext(name) if name else name, options) for name, options in super().get_fieldsets(request, obj)]


class TranslatedTOTPDeviceAdmin(TranslatedFieldsetsMixin, TOTPDeviceAdmin):
    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, gettext("Show the QR code"))


class TranslatedStaticDeviceAdmin(TranslatedFieldsetsMixin, StaticDeviceAdmin):
    pass


class TranslatedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes writes the lockout column and the clean-up message in English code (and its
    clean-up fails outside a sign-in, on a request its middleware did not prepare)."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d expired sign-in attempt was cleaned up.",
                "%(count)d expired sign-in attempts were cleaned up.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("Expires At"))
    def expiration(self, obj: AccessAttempt):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else gettext("Not set")

    @admin.display(description=_("Locked Out"))
    def status(self, obj: AccessAttempt) -> str:
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return gettext("Locked Out")
        return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}


def _shown(value, words: dict) -> str:
    """What a task returned, its known words translated: a word, a list of them, or counts."""
    if isinstance(value, str) and value in words:
        return str(words[value])
    if isinstance(value, list) and value and all(isinstance(item, str) and item in words for item in value):
        return ", ".join(str(words[item]) for item in value)
    if isinstance(value, dict) and value and all(key in words for key in value):
        return "; ".join(f"{words[key]}: {count}" for key, count in value.items())
    return json.dumps(value, ensure_ascii=False)


class QueueFilter(admin.SimpleListFilter):
    title = _("queue name")
    parameter_name = "queue_name"

    def lookups(self, request, model_admin):
        queues = model_admin.get_queryset(request).order_by().values_list("queue_name", flat=True).distinct()
        return [(queue, QUEUE_NAMES.get(queue, queue)) for queue in sorted(queues)]

    def queryset(self, request, queryset):
        return queryset.filter(queue_name=self.value()) if self.value() else queryset


class TranslatedDBTaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db lists its rows by id and function name, titles two fields in English code
    and shows the arguments as JSON: here a task reads by its name, queue and arguments, and the
    error's class and traceback show only on a task that failed."""

    list_display = ("task", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue")
    list_filter = ("status", "priority", QueueFilter)

    def get_readonly_fields(self, request, obj=None):
        fields = ["task", "status", "enqueued_at", "started_at", "finished_at", "arguments", "priority", "queue"]
        fields += ["backend", "worker_ids", "display_run_after", "result"]
        if obj is not None and obj.status == TaskResultStatus.FAILED:
            fields += ["exception_class_path", "formatted_traceback"]
        return fields

    @admin.display(description=_("task"))
    def task(self, obj: DBTaskResult) -> str:
        return task_label(obj)

    @admin.display(description=_("queue name"), ordering="queue_name")
    def queue(self, obj: DBTaskResult) -> str:
        return str(QUEUE_NAMES.get(obj.queue_name, obj.queue_name))

    @admin.display(description=_("backend name"))
    def backend(self, obj: DBTaskResult) -> str:
        return str(BACKEND_NAMES.get(obj.backend_name, obj.backend_name))

    @admin.display(description=_("args kwargs"))
    def arguments(self, obj: DBTaskResult) -> str:
        given = obj.args_kwargs or {}
        shown = [json.dumps(value, ensure_ascii=False) for value in given.get("args", [])]
        shown += [f"{name}={json.dumps(value, ensure_ascii=False)}" for name, value in given.get("kwargs", {}).items()]
        return ", ".join(shown) or self.get_empty_value_display()

    @admin.display(description=_("return value"))
    def result(self, obj: DBTaskResult) -> str:
        if obj.return_value is None:
            return self.get_empty_value_display()
        return _shown(obj.return_value, RESULTS.get(obj.task_path, {}))

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)


install()
for model, model_admin in (
    (TOTPDevice, TranslatedTOTPDeviceAdmin),
    (StaticDevice, TranslatedStaticDeviceAdmin),
    (AccessAttempt, TranslatedAccessAttemptAdmin),
    (DBTaskResult, TranslatedDBTaskResultAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
