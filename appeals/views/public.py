"""Public pages: the lookup form, the result, and the information pages. No login, no scripts."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from web.http import too_many_requests

from .. import lookup, statement
from ..forms import LookupForm
from ..models import LookupChannel, LookupOutcome
from ..notifications import texts
from .caller import lookup_caller

logger = logging.getLogger(__name__)
STATUS_CODES = {LookupOutcome.NOT_FOUND: 404}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/home.html", {"form": LookupForm()})


def _answered(request: HttpRequest, render_letter) -> HttpResponse:
    """A lookup of ?number=… (recorded in the log like every lookup): ``render_letter`` shows a
    letter found; a refusal is the form with a message saying what is wrong, or the 429 page."""
    if "number" not in request.GET:
        return render(request, "appeals/home.html", {"form": LookupForm()})
    result = lookup.look_up(
        request.GET["number"], caller=lookup_caller(request, LookupChannel.WEB), language=get_language()
    )
    if result.outcome == LookupOutcome.RATE_LIMITED:
        return too_many_requests(request, result.retry_after)
    if result.letter is not None:
        return render_letter(result_context(request, result.letter))
    form = LookupForm(request.GET)
    if form.is_valid():  # well formed, but nobody has that number
        form.mark_not_found()
    return render(request, "appeals/home.html", {"form": form}, status=STATUS_CODES.get(result.outcome, 400))


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """GET /<lang>/track/?number=…: the result, or the form with a message saying what is wrong."""
    return _answered(request, lambda context: render(request, "appeals/result.html", context))


@require_safe
def statement_pdf(request: HttpRequest) -> HttpResponse:
    """GET /<lang>/track/statement.pdf?number=…: the result as a PDF statement to keep, in the
    page's language; any other answer is the lookup's own (and it is logged as a lookup)."""

    def pdf(context: dict) -> HttpResponse:
        letter = context["letter"]
        context |= {
            "title": _("Status statement of a letter or request"),
            "issuer": _("State Customs Committee"),
            "language": get_language(),
            "contacts": settings.COMMITTEE_CONTACTS,
        }
        try:
            document = statement.statement_pdf(context)
        except Exception:  # a missing font, or a layout fpdf2 refuses: the page itself still works
            logger.error("PDF statement of %s not made", letter.registration_number, exc_info=True)
            return render(request, "503.html", status=503)
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{letter.registration_number}.pdf"'
        response["Cache-Control"] = "no-store"
        return response

    return _answered(request, pdf)


def result_context(request: HttpRequest, letter) -> dict:
    """What the result page and its PDF show: the letter, and when and where it was read (the
    page's public address, as the notices and the acknowledgement give it)."""
    page = texts.tracking_url(letter.registration_number, get_language())
    return {"letter": letter, "as_of": timezone.localtime(), "page_url": page}


@require_safe
def how_it_works(request: HttpRequest) -> HttpResponse:
    context = {
        "term": settings.APPEALS_TERM_WORKING_DAYS,
        "extended_term": settings.APPEALS_EXTENDED_TERM_WORKING_DAYS,
        "service_page_url": settings.COMMITTEE_SERVICE_PAGE_URL,
    }
    return render(request, "pages/how_it_works.html", context)


@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/complaints.html")


@require_safe
def contacts(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contacts.html", {"service_page_url": settings.COMMITTEE_SERVICE_PAGE_URL})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")
