"""The domain's data, by concern: the directory, the calendar, letters, lookups, notifications."""

from .calendar import (
    CalendarDay,
    HolidayKind,
    WorkingCalendar,
    add_working_days,
    due_date_for,
    due_soon_until,
    working_days_between,
)
from .directory import LANGUAGE_CODES, Department, Executor, LocalizedMixin
from .letters import (
    Channel,
    EventKind,
    Kind,
    Letter,
    LetterQuerySet,
    PublicLetter,
    RegistrationCounter,
    StatusEvent,
)
from .lookups import TOKEN_PREFIX_LENGTH, ApiClient, LookupChannel, LookupLog, LookupOutcome, hash_token
from .notifications import Notification, NotificationKind

__all__ = [
    "LANGUAGE_CODES",
    "TOKEN_PREFIX_LENGTH",
    "ApiClient",
    "CalendarDay",
    "Channel",
    "Department",
    "EventKind",
    "Executor",
    "HolidayKind",
    "Kind",
    "Letter",
    "LetterQuerySet",
    "LocalizedMixin",
    "LookupChannel",
    "LookupLog",
    "LookupOutcome",
    "Notification",
    "NotificationKind",
    "PublicLetter",
    "RegistrationCounter",
    "StatusEvent",
    "WorkingCalendar",
    "add_working_days",
    "due_date_for",
    "due_soon_until",
    "hash_token",
    "working_days_between",
]
