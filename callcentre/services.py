"""Finding letters for callers, and recording what operators looked at."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.db.models.functions import Lower

from appeals.models import Department, Letter

from .models import AccessAction, OperatorAccess
from .query import Query, QueryKind


def search_letters(
    query: Query,
    *,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    department: Department | None = None,
    status: str = "",
) -> QuerySet[Letter]:
    """Letters matching the query, most recent first. Each kind of query uses an index: the
    unique number, the phone key, the phone's last seven digits, lower(e-mail), or the name
    key's trigram index."""
    letters = Letter.objects.select_related("department", "executor")
    if query.kind == QueryKind.NUMBER:
        letters = letters.filter(registration_number=query.value)
    elif query.kind == QueryKind.PHONE:
        letters = letters.filter(applicant_phone_key=query.value)
    elif query.kind == QueryKind.PHONE_TAIL:
        letters = letters.filter(applicant_phone_tail=query.value)
    elif query.kind == QueryKind.EMAIL:
        letters = letters.alias(email_key=Lower("applicant_email")).filter(email_key=query.value)
    else:
        for word in query.words:
            # Each word at the start of a word of the key (the key is padded with spaces), so
            # "aliav" (Aliyev, Алиев) finds Əliyev and not Vəliyev. `contains` escapes % and _.
            letters = letters.filter(applicant_search_key__contains=f" {word}")
    if received_from:
        letters = letters.filter(received_on__gte=received_from)
    if received_to:
        letters = letters.filter(received_on__lte=received_to)
    if department:
        letters = letters.filter(department=department)
    if status:
        letters = letters.filter(status=status)
    return letters.order_by("-received_on", "-registration_sequence")


def record_search(*, user, text: str, filters: str, result_count: int | None) -> OperatorAccess:
    return OperatorAccess.objects.create(
        user=user,
        action=AccessAction.SEARCH,
        query=text.replace("\x00", "")[:200],  # PostgreSQL text cannot hold NUL
        filters=filters[:200],
        result_count=result_count,
    )


def record_open(*, user, letter: Letter) -> OperatorAccess:
    return OperatorAccess.objects.create(
        user=user, action=AccessAction.OPEN, letter=letter, query=letter.registration_number
    )
