"""Probes for the load balancer: /healthz (the process answers) and /readyz (it can reach
the database). Neither needs a language or a session."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means: do not send traffic here
        return JsonResponse({"status": "unavailable", "database": error.__class__.__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
