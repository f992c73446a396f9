"""The letter rules, each in one place. Services enforce them on every write; staff forms, the
admin and the import call the same functions to show the message next to the field, in the
staff member's language. Each raises ``ValidationError`` keyed by the field it is about."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AnswerChannel, ExtensionGround, NonConsiderationGround
from .statuses import Status


def check_assignment(department, executor) -> None:
    """Who may be assigned: an active executor of the letter's department."""
    if executor is not None and department is not None and executor.department_id != department.pk:
        raise ValidationError({"executor": _("The executor does not work in the chosen department.")})
    if executor is not None and not executor.is_active:
        raise ValidationError({"executor": _("This executor is no longer active.")})


def check_closing(status: str, *, forwarded_to: str = "", ground: str = "", answer_channel: str = "") -> None:
    """What a closing status needs, so that the public page can say how the letter ended:
    an answer says how it was sent; forwarding names the competent body; leaving without
    consideration gives one of the public grounds (art. 8)."""
    if status == Status.ANSWERED and answer_channel not in AnswerChannel.values:
        raise ValidationError({"answer_channel": _("Choose how the answer was sent.")})
    if status == Status.FORWARDED and not forwarded_to.strip():
        raise ValidationError({"forwarded_to": _("Name the competent body the letter is sent to.")})
    if status == Status.LEFT_WITHOUT_CONSIDERATION and ground not in NonConsiderationGround.values:
        raise ValidationError({"ground": _("Choose the ground for leaving the letter without consideration.")})


def check_extension(letter, *, working_days: int, reason: str, ground: str) -> None:
    """An extension (art. 10.2): of an open letter, once, by at most 30 more working days
    (APPEALS_MAX_EXTENSION_WORKING_DAYS), on one of the public grounds, with a reason for staff."""
    limit = settings.APPEALS_MAX_EXTENSION_WORKING_DAYS
    if not letter.is_open:
        raise ValidationError(_("The due date of a closed letter cannot be extended."))
    if letter.original_due_date is not None:
        raise ValidationError(_("The due date of this letter has already been extended once."))
    if not 1 <= working_days <= limit:
        raise ValidationError({"working_days": _("Extend by 1 to %(limit)s working days.") % {"limit": limit}})
    if ground not in ExtensionGround.values:
        raise ValidationError({"ground": _("Choose the ground for the extension that the citizen will read.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})


def check_received_on(received_on: dt.date, today: dt.date | None = None) -> None:
    """A letter is registered on the day it arrives: never with a future date."""
    if received_on > (today or timezone.localdate()):
        raise ValidationError({"received_on": _("A letter cannot be registered with a future date.")})


def on_form(form, check, *args, **kwargs) -> None:
    """Run a rule ``check`` for a Django form: its error shows on its field when the form has
    that field, else at the top of the form."""
    try:
        check(*args, **kwargs)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
