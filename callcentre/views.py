"""The Call Centre's search page and letter view (login required; operators, supervisors,
administrators). Applicant data is shown here, so every search and every opened letter is logged."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from appeals.models import Letter
from appeals.numbers import InvalidNumber, normalise_registration_number
from web import ratelimit
from web.http import too_many_requests

from . import services
from .forms import SearchForm

PAGE_SIZE = 20


def operator_only(view):
    """Anonymous → the login page; signed in without the permission → 403. The pages show
    applicants' data: no browser or proxy may keep them (Cache-Control: no-store)."""
    return never_cache(login_required(permission_required("callcentre.search_letters", raise_exception=True)(view)))


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        return 1


@require_safe
@operator_only
def search(request: HttpRequest) -> HttpResponse:
    if "q" not in request.GET:
        return render(request, "callcentre/search.html", {"form": SearchForm()})
    retry_after = ratelimit.check(f"callcentre:{request.user.pk}", settings.CALLCENTRE_SEARCH_LIMITS).wait
    if retry_after:  # an operator answers callers; a scraper pages through everybody
        return too_many_requests(request, retry_after)
    form = SearchForm(request.GET)
    context = {"form": form}
    status = 400
    if form.is_valid():
        page = _page_number(request)
        letters = services.search_letters(
            form.cleaned_data["q"],
            received_from=form.cleaned_data["received_from"],
            received_to=form.cleaned_data["received_to"],
            department=form.cleaned_data["department"],
            status=form.cleaned_data["status"],
        )
        # One row more than a page tells whether there is a next page, without a COUNT(*).
        offset = (page - 1) * PAGE_SIZE
        rows = list(letters[offset : offset + PAGE_SIZE + 1])
        context.update(
            letters=rows[:PAGE_SIZE],
            page=page,
            has_next=len(rows) > PAGE_SIZE,
            query_kind=form.cleaned_data["q"].kind,
        )
        services.record_search(
            user=request.user,
            text=request.GET.get("q", ""),
            filters=form.filters_text(),
            result_count=offset + len(rows[:PAGE_SIZE]),
        )
        status = 200
    return render(request, "callcentre/search.html", context, status=status)


@require_safe
@operator_only
def letter_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        canonical = normalise_registration_number(number).canonical
    except InvalidNumber:
        raise Http404 from None
    letter = Letter.objects.for_public().filter(registration_number=canonical).first()
    if letter is None:
        raise Http404
    services.record_open(user=request.user, letter=letter)
    return render(request, "callcentre/letter.html", {"letter": letter})
