"""Daily overdue alerts for department heads."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appeals import access, terms
from appeals.models import Executor
from appeals.roles import Role

from . import queries
from .models import OverdueAlert

logger = logging.getLogger(__name__)


def department_heads():
    return Executor.objects.filter(
        is_active=True,
        user__is_active=True,
        user__groups__name=Role.DEPARTMENT_HEAD.value,
    ).select_related("user", "department")


def send_overdue_alerts() -> tuple[int, int]:
    """Returns (alerts sent, heads skipped). The unique (user, day) row is taken before the
    mail goes out, so two runs at once cannot both send."""
    today = timezone.localdate()
    sent = skipped = 0
    for head in department_heads():
        scope = queries.Scope(today, today, access.department_tree_ids(head.department))
        overdue, due_soon = queries.overdue_and_due_soon(scope)
        undecided = queries.undecided_after_forwarding_term(scope)
        if not (overdue or due_soon or undecided) or not head.user.email:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                alert = OverdueAlert.objects.create(
                    user=head.user, day=today, letters=len(overdue) + len(due_soon) + len(undecided)
                )
        except IntegrityError:
            skipped += 1
            continue
        with translation.override(head.language):
            context = {
                "head": head,
                "overdue": overdue,
                "due_soon": due_soon,
                "undecided": undecided,
                "due_soon_title": terms.due_soon_title(),
                "base_url": settings.PUBLIC_BASE_URL,
            }
            message = EmailMultiAlternatives(
                subject=_("Overdue letters: %(overdue)s, due soon: %(soon)s")
                % {"overdue": len(overdue), "soon": len(due_soon)},
                body=render_to_string("emails/overdue_alert.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[head.user.email],
            )
            message.attach_alternative(render_to_string("emails/overdue_alert.html", context), "text/html")
        try:
            message.send()
            alert.delivered = True
            alert.save(update_fields=["delivered"])
            sent += 1
        except Exception as error:  # recorded; the next day's run tries again
            logger.warning("overdue alert to %s failed: %s", head.user.email, error)
    return sent, skipped
