"""Public pages: the lookup form, the result, and the information pages. No login, no scripts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from web.http import too_many_requests

from .. import lookup
from ..forms import LookupForm
from ..models import LookupChannel, LookupOutcome
from .caller import lookup_caller

STATUS_CODES = {LookupOutcome.NOT_FOUND: 404}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/home.html", {"form": LookupForm()})


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """GET /<lang>/track/?number=…: the result, or the form with a message saying what is wrong."""
    if "number" not in request.GET:
        return render(request, "appeals/home.html", {"form": LookupForm()})
    result = lookup.look_up(
        request.GET["number"], caller=lookup_caller(request, LookupChannel.WEB), language=get_language()
    )
    if result.outcome == LookupOutcome.RATE_LIMITED:
        return too_many_requests(request, result.retry_after)
    if result.letter is not None:
        return render(request, "appeals/result.html", {"letter": result.letter})
    form = LookupForm(request.GET)
    if form.is_valid():  # well formed, but nobody has that number
        form.mark_not_found()
    return render(request, "appeals/home.html", {"form": form}, status=STATUS_CODES.get(result.outcome, 400))


@require_safe
def how_it_works(request: HttpRequest) -> HttpResponse:
    terms = {"term": settings.APPEALS_TERM_WORKING_DAYS, "extended_term": settings.APPEALS_EXTENDED_TERM_WORKING_DAYS}
    return render(request, "pages/how_it_works.html", terms)


@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/complaints.html")


@require_safe
def contacts(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contacts.html")
