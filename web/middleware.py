"""Project-wide middleware: request ids for the logs, the Permissions-Policy header, and a
calm 503 page when the database is unreachable."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property

from .layout import layout_context

logger = logging.getLogger(__name__)

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Use the proxy's X-Request-ID when it is sane, else make one; echo it in the response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RejectNulInAdminMiddleware:
    """The admin's filters pass query values to the database as they come, and PostgreSQL
    cannot hold a NUL: such a request is a 400, not a 500. (The public pages and the API
    handle NUL themselves, with their own messages.)"""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.prefix) and (
            "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "")
        ):
            raise BadRequest("NUL in an admin request")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES (the admin's registry upload may
    send twice IMPORT_ADMIN_MAX_BYTES, so the import page can say why a file is refused) with
    the translated 413 page, before anything reads and spools it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    @cached_property
    def import_path(self) -> str:
        return reverse("admin:appeals_letter_import")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is not a number") from None
        allowed = settings.MAX_REQUEST_BYTES
        if request.path == self.import_path:
            allowed = max(allowed, 2 * settings.IMPORT_ADMIN_MAX_BYTES)
        if length > allowed:
            response = HttpResponse(render_to_string("413.html", {"request": request}), status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def service_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The translated 503 page in the site's layout, rendered without touching the database: no
    context processors run (the user's and the messages' could read the session), the layout
    gets the contacts and the language links from the settings and the request alone."""
    html = render_to_string("503.html", {"request": request, **layout_context(request)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or too slow gives the visitor a 503 page, never a traceback."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "statement timeout" in str(exception)
        ):
            logger.error("database unavailable: %s", exception.__class__.__name__, exc_info=False)
            return service_unavailable(request)
        return None
