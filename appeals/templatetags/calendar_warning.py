"""The admin's banner while a year's holiday calendar is not confirmed (models.unconfirmed_years)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import unconfirmed_years

register = template.Library()


@register.inclusion_tag("admin/includes/calendar_warning.html", takes_context=True)
def calendar_warning(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("appeals.change_calendaryear"):
        return {"years": []}
    return {"years": unconfirmed_years(timezone.localdate())}
