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
from .directory import LANGUAGE_CODES, Department, Executor, LocalizedMixin, active_language
from .letters import (
    Channel,
    EventKind,
    Kind,
    Letter,
    LetterQuerySet,
    PublicLetter,
    RegistrationCounter,
    StatusEvent,
    event_headline,
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
    "active_language",
    "add_working_days",
    "due_date_for",
    "due_soon_until",
    "event_headline",
    "hash_token",
    "working_days_between",
]
