"""Notices without an account: "notify me" on the result page, its confirmation (a link by
e-mail, a code by SMS), and each recipient's notices page with its one-click stop.

These forms carry no CSRF token: they act for no signed-in user and need no session. Their
authority is the contact's confirmation and the random key in the link, which a forged request
from another site does not have; the one-click stop must take a mail program's bare POST
(RFC 8058). The limits below keep them from being used to send messages to strangers."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from web import ratelimit
from web.http import client_address, client_key, too_many_requests

from .. import subscriptions
from ..models import NotificationChannel, Subscription
from ..statuses import Status
from ..subscriptions import Outcome

# Requests that send a message or test a secret, per client address (or IPv6 /64): an hour.
NOTICE_REQUESTS_PER_HOUR = 20

MESSAGES = {
    Outcome.EMAIL_SENT: lambda: (
        _(
            "We sent a link to your e-mail. Open it within %(hours)s hours to confirm; "
            "nothing else is sent until you do."
        )
        % {"hours": settings.NOTIFY_ME_CONFIRM_HOURS}
    ),
    Outcome.BAD_CONTACT: lambda: _(
        "Enter an e-mail address (name@example.az) or an Azerbaijani mobile number (050 000 00 00)."
    ),
    Outcome.NOT_FOUND: lambda: _("No letter has this registration number."),
    Outcome.CLOSED: lambda: _("This letter is closed: there will be no more notices about it."),
    Outcome.TOO_MANY: lambda: _(
        "There are already several unconfirmed requests for this contact or letter. Confirm one, or try again tomorrow."
    ),
    Outcome.ALREADY: lambda: _("These notices are already confirmed: you will hear of every change."),
    Outcome.CONFIRMED: lambda: _("Confirmed. You will get a message whenever this letter moves, until it closes."),
    Outcome.WRONG_SECRET: lambda: _("That is not the code we sent. Check it and type it again."),
    Outcome.EXPIRED: lambda: _("This confirmation has expired or was tried too many times. Ask for the notices again."),
    Outcome.STOPPED: lambda: _("You will receive no more notices about this appeal."),
    Outcome.UNKNOWN: lambda: _("This link is not valid. Check that it was copied whole."),
}
STATUS_CODES = {
    Outcome.BAD_CONTACT: 400,
    Outcome.NOT_FOUND: 404,
    Outcome.CLOSED: 409,
    Outcome.TOO_MANY: 429,
    Outcome.WRONG_SECRET: 400,
    Outcome.EXPIRED: 410,
    Outcome.UNKNOWN: 404,
}


def _limited(request: HttpRequest) -> HttpResponse | None:
    verdict = ratelimit.check(f"notices:{client_key(client_address(request))}", [(NOTICE_REQUESTS_PER_HOUR, 3600)])
    return too_many_requests(request, verdict.wait) if verdict else None


def _page(request, result, *, title: str, status: int | None = None, **context) -> HttpResponse:
    letter = result.letter
    return render(
        request,
        "appeals/notices.html",
        {
            "title": title,
            "letter": letter,
            "status_label": Status(letter.status).label if letter else "",
            "message": MESSAGES[result.outcome]() if result.outcome in MESSAGES else "",
            "refused": result.outcome in STATUS_CODES,
            "confirm_hours": settings.NOTIFY_ME_CONFIRM_HOURS,
            **context,
        },
        status=status or STATUS_CODES.get(result.outcome, 200),
    )


def _unknown(request) -> HttpResponse:
    return _page(request, subscriptions.Result(Outcome.UNKNOWN), title=_("Notices about this letter"))


@csrf_exempt
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    if refusal := _limited(request):
        return refusal
    contact = request.POST.get("contact", "")[:254]
    result = subscriptions.subscribe(
        number=request.POST.get("number", "")[:64],
        contact=contact,
        language=get_language(),
        client_address=client_key(client_address(request)),
    )
    if result.outcome in (Outcome.CODE_SENT, Outcome.EMAIL_SENT):  # a reload must not send it again
        return HttpResponseRedirect(reverse("appeals:notices_confirm", args=[result.subscription.key]))
    retry = result.outcome == Outcome.BAD_CONTACT
    response = _page(
        request,
        result,
        title=_("Notices about this letter"),
        notify_form=retry,
        letter_number=request.POST.get("number", ""),
        error=MESSAGES[result.outcome]() if retry else "",
        typed=contact if retry else "",
    )
    if result.outcome == Outcome.TOO_MANY:
        response["Retry-After"] = "3600"
    return response


# What a confirmation link says when opened, by the request's state.
STATE_OUTCOMES = {
    Subscription.State.ACTIVE: Outcome.ALREADY,
    Subscription.State.ENDED: Outcome.STOPPED,
    Subscription.State.EXPIRED: Outcome.EXPIRED,
}


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, key: str) -> HttpResponse:
    """GET shows the button (a link opened by a mail scanner confirms nothing); POST confirms
    with the e-mail's token or the SMS code."""
    letter, subscription = subscriptions.recipient(key)
    if subscription is None:
        return _unknown(request)
    is_sms = subscription.channel == NotificationChannel.SMS
    title = _("Confirm the notices")
    if request.method == "POST":
        if refusal := _limited(request):
            return refusal
        secret = request.POST.get("code" if is_sms else "token", "")[:64]
        result = subscriptions.confirm(key=key, secret=secret)
        if result.outcome == Outcome.WRONG_SECRET and not is_sms:  # a link cut short or made up
            return _page(request, subscriptions.Result(Outcome.UNKNOWN, subscription, letter), title=title, status=400)
        wrong = result.outcome == Outcome.WRONG_SECRET
        return _page(
            request, result, title=title, code_form=wrong, code_error=MESSAGES[result.outcome]() if wrong else ""
        )
    expired = subscription.expires_at <= timezone.now() and subscription.state == Subscription.State.PENDING
    state_outcome = Outcome.EXPIRED if expired else STATE_OUTCOMES.get(subscription.state)
    if state_outcome is not None:
        return _page(request, subscriptions.Result(state_outcome, subscription, letter), title=title)
    token = request.GET.get("token", "")[:64]
    if is_sms:
        message = _("We sent a 6-digit code by SMS. Type it here to confirm the notices.")
    elif token:
        message = _("Press the button to confirm that you want the notices at this e-mail address.")
    else:
        message = MESSAGES[Outcome.EMAIL_SENT]()
    waiting = subscriptions.Result(Outcome.CODE_SENT if is_sms else Outcome.EMAIL_SENT, subscription, letter)
    return _page(
        request,
        waiting,
        title=title,
        message=message,
        code_form=is_sms,
        token_form=not is_sms and bool(token),
        token=token,
    )


@require_safe
def short_link(request: HttpRequest, key: str) -> HttpResponse:
    """/n/<key>, the SMS's short link: the recipient's notices page in their language."""
    letter, subscription = subscriptions.recipient(key)
    if letter is None:
        raise Http404
    language = subscription.language if subscription else letter.applicant_language
    with override(language):
        return HttpResponseRedirect(reverse("appeals:notices", args=[key]))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def notices(request: HttpRequest, key: str) -> HttpResponse:
    """A recipient's notices: the letter's status, its full page, and the stop button. POST
    (the button, or a mail program's one click) stops them."""
    title = _("Notices about this letter")
    if request.method == "POST":
        if refusal := _limited(request):
            return refusal
        return _page(request, subscriptions.stop(key=key), title=title)
    letter, subscription = subscriptions.recipient(key)
    if letter is None:
        return _unknown(request)
    if subscription is not None and subscription.state == Subscription.State.PENDING:
        return HttpResponseRedirect(reverse("appeals:notices_confirm", args=[key]))
    active = subscription.state == Subscription.State.ACTIVE if subscription else letter.applicant_notices
    result = subscriptions.Result(Outcome.ALREADY if active else Outcome.STOPPED, subscription, letter)
    return _page(request, result, title=title, stop_form=active, status=200)
