"""Read-only JSON API for the national e-government portal (regulation 2.4):
``GET /api/v1/letters/<number>`` answers what the public result page shows, in the language
asked for, and every call lands in the lookup log with the calling client."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from appeals import lookup
from appeals.forms import MESSAGES
from appeals.models import ApiClient, LookupChannel, LookupOutcome, hash_token
from appeals.publicview import PublicLetterView
from appeals.statuses import explanation
from appeals.views.caller import lookup_caller

from .openapi import document

LANGUAGES = [code for code, _name in settings.LANGUAGES]
STATUS = {
    LookupOutcome.EMPTY: 400,
    LookupOutcome.MALFORMED: 400,
    LookupOutcome.CHECKSUM: 400,
    LookupOutcome.NOT_FOUND: 404,
    LookupOutcome.UNAUTHORIZED: 401,
    LookupOutcome.RATE_LIMITED: 429,
}


def negotiate_language(request: HttpRequest) -> str:
    """``?lang=`` first, then Accept-Language, then Azerbaijani. Cookies are not consulted."""
    asked = request.GET.get("lang", "").lower()[:8]
    if asked in LANGUAGES:
        return asked
    for code, _quality in translation.trans_real.parse_accept_lang_header(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:500]
    ):
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return settings.LANGUAGE_CODE


def _message(outcome: LookupOutcome) -> str:
    if outcome == LookupOutcome.UNAUTHORIZED:
        return _("Send a valid API token: Authorization: Bearer <token>.")
    if outcome == LookupOutcome.RATE_LIMITED:
        return _("Too many requests. Wait and try again.")
    return str(MESSAGES[outcome])


def error(outcome: LookupOutcome, language: str, headers: dict | None = None) -> JsonResponse:
    body = {"error": {"code": outcome.value, "message": _message(outcome)}, "language": language}
    response = JsonResponse(body, status=STATUS[outcome], json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def json_safe_methods(view):
    """GET and HEAD only; anything else gets a JSON 405, like every other API error. The API
    sets no cookie and changes nothing, so Django's CSRF page (HTML) has nothing to protect."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            language = negotiate_language(request)
            with translation.override(language):
                body = {
                    "error": {"code": "method_not_allowed", "message": _("Only GET is allowed here.")},
                    "language": language,
                }
            response = JsonResponse(body, status=405, json_dumps_params={"ensure_ascii": False})
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def authenticate(request: HttpRequest) -> ApiClient | None:
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
        return None
    return ApiClient.objects.filter(token_hash=hash_token(token.strip()), is_active=True).first()


def _code_label(code: str, label: str) -> dict | None:
    return {"code": code, "label": label} if code and label else None


def ending_json(letter: PublicLetterView) -> dict | None:
    """How a closed letter ended, as the result page says it; None while it is open."""
    if letter.is_open:
        return None
    return {
        "closed_on": letter.closed_on.isoformat() if letter.closed_on else None,
        "answer_channel": _code_label(letter.answer_channel, letter.answer_channel_label),
        "outgoing_number": letter.outgoing_number or None,
        "competent_body": letter.forwarded_to or None,
        "ground": _code_label(letter.ground, letter.ground_label),
    }


def letter_json(letter: PublicLetterView, language: str) -> dict:
    """The public fields of a letter, as on the result page: never the applicant's data."""
    department = letter.department
    executor = letter.executor
    return {
        "registration_number": letter.registration_number,
        "kind": {"code": letter.kind, "label": letter.kind_label},
        "registered_on": letter.received_on.isoformat(),
        "department": {"code": department.code, "name": department.name} if department else None,
        "executor": {"name": executor.full_name, "position": executor.position, "phone": executor.phone}
        if executor
        else None,
        "status": {
            "code": letter.status,
            "label": letter.status_label,
            "explanation": letter.status_explanation,
            "next_steps": letter.next_steps,
        },
        "overdue": letter.overdue,
        "working_days_overdue": letter.working_days_overdue,
        "ending": ending_json(letter),
        "extension_ground": _code_label(letter.extension_ground, letter.extension_ground_label),
        "forwarded_to": letter.forwarded_to or None,
        "forwarded_on": letter.forwarded_on.isoformat() if letter.forwarded_on else None,
        "due_date": letter.due_date.isoformat() if letter.due_date else None,
        "due_date_provisional": letter.due_date_provisional,
        "term_working_days": letter.term_working_days,
        "original_due_date": letter.original_due_date.isoformat() if letter.original_due_date else None,
        "last_updated": letter.updated_at.isoformat(),
        "timeline": [
            {
                "at": event.occurred_at.isoformat(),
                "event": {"code": event.kind, "label": event.headline},
                "status": {
                    "code": event.status,
                    "label": event.status_label,
                    "explanation": explanation(event.status),
                },
                "department": event.department.name if event.department else None,
                "note": event.public_note,
            }
            for event in letter.timeline
        ],
        "language": language,
    }


@json_safe_methods
def letter_view(request: HttpRequest, number: str = "") -> JsonResponse:
    language = negotiate_language(request)
    with translation.override(language):
        response = _answer(request, number, language)
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language, Authorization"
    response["Cache-Control"] = "no-store"
    return response


def _answer(request: HttpRequest, number: str, language: str) -> JsonResponse:
    client = authenticate(request)
    result = lookup.look_up(number, caller=lookup_caller(request, LookupChannel.API, client), language=language)
    if result.outcome == LookupOutcome.FOUND:
        return JsonResponse(letter_json(result.letter, language), json_dumps_params={"ensure_ascii": False})
    headers = {}
    if result.outcome == LookupOutcome.UNAUTHORIZED:
        headers["WWW-Authenticate"] = 'Bearer realm="dgk-tracker"'
    if result.outcome == LookupOutcome.RATE_LIMITED:
        headers["Retry-After"] = str(result.retry_after)
    return error(result.outcome, language, headers)


@json_safe_methods
def openapi_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False, "indent": 2})


@csrf_exempt
def not_found_view(request: HttpRequest, rest: str = "") -> JsonResponse:
    language = negotiate_language(request)
    with translation.override(language):
        body = {"error": {"code": "not_found", "message": _("There is no such API address.")}, "language": language}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
