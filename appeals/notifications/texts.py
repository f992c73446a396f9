"""What each notice says, in the recipient's language: an e-mail (subject and paragraphs) and an
SMS within two segments. Only what the public page shows: the number, the status, the dates,
the department and executor with their phones, the public grounds; never the applicant's name,
the letter's text or staff notes, because a subscriber is anyone who has the number."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from web.layout import page_path

from ..models import (
    AnswerChannel,
    ExtensionGround,
    Letter,
    NonConsiderationGround,
    NotificationKind,
    StatusEvent,
    choice_label,
)
from ..statuses import Status, explanation
from . import sms


@dataclass
class Notice:
    subject: str
    paragraphs: list[str]
    # The SMS: its text with ``{details}`` where the short facts go (shortened to fit two
    # segments), e.g. a department's long name.
    sms_template: str
    sms_details: dict[str, str] = field(default_factory=dict)


def base_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def _public(name: str, language: str, *args, query: dict | None = None) -> str:
    if args:
        with translation.override(language):
            path = reverse(name, args=args)
    else:
        path = page_path(name, language)
    return f"{base_url()}{path}" + (f"?{urlencode(query)}" if query else "")


def tracking_url(number: str, language: str) -> str:
    """The result page of ``number`` in ``language`` (notices, the paper acknowledgement's QR code)."""
    return _public("appeals:track", language, query={"number": number})


def notices_url(key: str, language: str) -> str:
    """The page of one recipient's notices: the letter's status, a link to its full page, and
    the button that stops the notices (and the List-Unsubscribe one-click target)."""
    return _public("appeals:notices", language, key)


def short_url(key: str) -> str:
    """The same page by a short link for SMS (redirects in the recipient's language)."""
    return _public("notices_short", "az", key)


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _due(letter: Letter) -> str:
    due = _date(letter.due_date)
    return f"{due} ({_('to be confirmed')})" if letter.due_date_provisional else due


def _executor(executor, department) -> dict[str, str]:
    return {"executor": executor.full_name, "phone": executor.phone or (department.phone if department else "") or "—"}


def notice(kind: str, letter: Letter, event: StatusEvent | None) -> Notice:
    """The notice ``kind`` about ``letter`` (as ``event`` left it), in the active language."""
    number = letter.registration_number
    department = (event.department if event else None) or letter.department
    executor = (event.executor if event else None) or letter.executor
    status = (event.to_status if event else "") or letter.status
    status_label = str(Status(status).label)
    values = {"number": number, "status": status_label, "due": _due(letter)}
    note = [event.public_note] if event and event.public_note and kind != NotificationKind.FORWARDING else []

    if kind == NotificationKind.ACKNOWLEDGEMENT:
        paragraphs = [
            _("Your appeal is registered on %(date)s under number %(number)s.")
            % {**values, "date": _date(letter.received_on)},
            _("The answer is due by %(due)s.") % values,
        ]
        if department:
            paragraphs.append(_("It is with: %(department)s.") % {"department": department.localized("name")})
        if executor:
            paragraphs.append(_("Its executor is %(executor)s, phone %(phone)s.") % _executor(executor, department))
        return Notice(
            _("Your appeal is registered under number %(number)s") % values,
            paragraphs + note,
            _("Appeal %(number)s registered. Answer due %(due)s.") % values,
        )
    if kind == NotificationKind.ASSIGNMENT:
        paragraphs = []
        details = {"department": department.localized("name") if department else ""}
        if department:
            paragraphs.append(
                _("Your appeal %(number)s is with %(department)s, phone %(phone)s.")
                % {**values, **details, "phone": department.phone or "—"}
            )
        if executor:
            reach = _executor(executor, department)
            paragraphs.append(_("Its executor is %(executor)s, phone %(phone)s.") % reach)
            # Only the name may be shortened to fit an SMS, never the phone.
            template = (_("Appeal %(number)s: executor {executor}, {phone}.") % values).replace(
                "{phone}", reach["phone"]
            )
            details = {"executor": reach["executor"]}
        else:
            template = _("Appeal %(number)s is with {department}.") % values
        return Notice(
            _("Your appeal %(number)s has been assigned") % values,
            paragraphs + note,
            template,
            details,
        )
    if kind == NotificationKind.EXTENSION:
        ground = choice_label(ExtensionGround, letter.extension_ground)
        paragraphs = [_("The term for answering your appeal %(number)s is extended to %(due)s.") % values]
        if ground:
            paragraphs.append(_("Why: %(ground)s") % {"ground": ground})
        return Notice(
            _("The term of your appeal %(number)s is extended") % values,
            paragraphs,
            _("Appeal %(number)s: the term is extended to %(due)s.") % values,
        )
    if kind == NotificationKind.FORWARDING:
        body = letter.forwarded_to or (event.public_note if event else "")
        details = {"body": body}
        return Notice(
            _("Your appeal %(number)s was forwarded") % values,
            [
                _("Your appeal %(number)s was forwarded on %(date)s to %(body)s, which is competent to examine it.")
                % {**values, **details, "date": _date(letter.closed_on)},
                _(
                    "From now on %(body)s answers it: contact it directly. The Call Centre %(call_centre)s tells "
                    "you how to reach it."
                )
                % {**details, "call_centre": settings.COMMITTEE_CONTACTS["call_centre_display"]},
            ],
            _("Appeal %(number)s was forwarded to {body}.") % values,
            details,
        )
    if kind == NotificationKind.ENDING and status == Status.ANSWERED:
        how = choice_label(AnswerChannel, letter.answer_channel)
        paragraphs = [
            _("Your appeal %(number)s is answered on %(date)s.") % {**values, "date": _date(letter.closed_on)}
        ]
        if how:
            paragraphs.append(_("The answer was sent %(how)s.") % {"how": how})
        if letter.outgoing_number:
            paragraphs.append(_("Outgoing number: %(outgoing)s.") % {"outgoing": letter.outgoing_number})
        return Notice(
            _("Your appeal %(number)s is answered") % values,
            paragraphs + note,
            (_("Appeal %(number)s is answered {how}.") if how else _("Appeal %(number)s is answered.")) % values,
            {"how": how} if how else {},
        )
    if kind == NotificationKind.ENDING:
        ground = choice_label(NonConsiderationGround, letter.non_consideration_ground)
        paragraphs = [_("Your appeal %(number)s is left without consideration.") % values]
        if ground:
            paragraphs.append(_("Why: %(ground)s") % {"ground": ground})
        return Notice(
            _("Your appeal %(number)s is left without consideration") % values,
            paragraphs + note,
            _("Appeal %(number)s is left without consideration: {ground}") % values,
            {"ground": ground},
        )
    if kind == NotificationKind.REOPENING:
        return Notice(
            _("Your appeal %(number)s is examined again") % values,
            [_("Your appeal %(number)s is examined again. Status: %(status)s.") % values],
            _("Appeal %(number)s is examined again.") % values,
        )
    return Notice(
        _("The status of your appeal %(number)s has changed") % values,
        [_("The status of your appeal %(number)s is now: %(status)s.") % values, explanation(status), *note],
        _("Appeal %(number)s: {status}.") % values,
        {"status": status_label},
    )


def sms_text(notice_: Notice, link: str) -> str:
    """The SMS: the notice's words and one link (the recipient's notices page: the status, the
    full page, the stop button), shortened until it fits two segments. The longest detail
    (a department's name, a ground) gives way first, ending in "…"."""
    details = dict(notice_.sms_details)
    suffix = " " + _("More, or stop: %(link)s") % {"link": link}

    def text() -> str:
        body = notice_.sms_template
        for name, value in details.items():
            body = body.replace("{" + name + "}", value)
        return body + suffix

    while not sms.fits(text()):
        longest = max(details, key=lambda name: len(details[name]), default=None)
        if longest is None or len(details[longest]) <= 1:
            break
        value = details[longest].rstrip("…")
        details[longest] = value[: max(1, len(value) - 4)].rstrip() + "…"
    if not sms.fits(text()):  # a long site address: the link alone, without its label
        suffix = " " + link
    return text()


def confirmation(number: str) -> Notice:
    """The e-mail that asks a subscriber to confirm (the link is added by the caller)."""
    return Notice(
        _("Confirm notices about appeal %(number)s") % {"number": number},
        [
            _(
                "Someone, we hope you, asked on the DGK Tracker for notices about appeal %(number)s to this "
                "address. Nothing is sent until you confirm."
            )
            % {"number": number},
            _("If it was not you, ignore this message: the request expires in %(hours)s hours.")
            % {"hours": settings.NOTIFY_ME_CONFIRM_HOURS},
        ],
        "",
    )


def confirmation_sms(number: str, code: str) -> str:
    return _("DGK Tracker code: %(code)s. It confirms notices about appeal %(number)s. Valid %(hours)s h.") % {
        "code": code,
        "number": number,
        "hours": settings.NOTIFY_ME_CONFIRM_HOURS,
    }
