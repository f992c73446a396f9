"""Public pages: the lookup form, the result, and the information pages. No login, no scripts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from dgk_tracker import ratelimit

from .. import services
from ..forms import LookupForm
from ..http import client_address, rate_limit_key
from ..models import LookupOutcome

STATUS_CODES = {LookupOutcome.FOUND: 200, LookupOutcome.NOT_FOUND: 404}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/home.html", {"form": LookupForm()})


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """GET /<lang>/track/?number=…: the result, or the form with a message saying what is wrong."""
    if "number" not in request.GET:
        return render(request, "appeals/home.html", {"form": LookupForm()})
    address = client_address(request)
    retry_after = ratelimit.hit(
        f"lookup:{services.hash_client_address(rate_limit_key(address))}", settings.LOOKUP_RATE_LIMITS
    )
    if retry_after:
        services.record_lookup(outcome=LookupOutcome.RATE_LIMITED, language=get_language(), client_address=address)
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    form = LookupForm(request.GET)
    letter = None
    number = None
    if form.is_valid():
        number = form.cleaned_data["number"]
        letter = services.find_public_letter(number=number)
        if letter is None:
            form.mark_not_found()
    outcome = form.outcome
    services.record_lookup(
        outcome=outcome,
        language=get_language(),
        client_address=address,
        number=number,
        letter=letter,
    )
    context = {
        "form": form,
        "letter": letter,
        "public_generation": services.public_generation(),
    }
    template = "appeals/result.html" if letter else "appeals/home.html"
    return render(request, template, context, status=STATUS_CODES.get(outcome, 400))


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
