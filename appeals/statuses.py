"""Letter statuses, what they mean to a citizen, and the transitions between them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned to an executor")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_APPLICANT = "awaiting_applicant", _("Waiting for information from the applicant")
    ANSWERED = "answered", _("Answered")
    FORWARDED = "forwarded", _("Forwarded to the competent body")
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration", _("Left without consideration")


EXPLANATIONS = {
    Status.REGISTERED: _("Your appeal has been registered and will be passed to the competent department."),
    Status.ASSIGNED: _("A department and an executor have been appointed to handle your appeal."),
    Status.IN_PROGRESS: _("The executor is examining your appeal. You may call the executor for details."),
    Status.AWAITING_APPLICANT: _(
        "The executor needs more information from you; please check your mail or call the executor."
    ),
    Status.ANSWERED: _("An answer to your appeal has been sent to you."),
    Status.FORWARDED: _("Your appeal is outside the Committee's competence and has been sent to the competent body."),
    Status.LEFT_WITHOUT_CONSIDERATION: _(
        "Your appeal has been left without consideration on grounds set by law; you have been told why."
    ),
}

# What happens next, and what the applicant may do, for each status (regulation 3.6 and the
# Law on Citizens' Appeals): one or two sentences under the status on the result page.
NEXT_STEPS = {
    # The forwarding term (APPEALS_FORWARDING_WORKING_DAYS, art. 7.10) fills in %(days)d.
    Status.REGISTERED: ngettext_lazy(
        "Within %(days)d working day the Committee gives it to a department, or forwards it to the competent "
        "body if it is outside the Committee's competence. You need do nothing now.",
        "Within %(days)d working days the Committee gives it to a department, or forwards it to the competent "
        "body if it is outside the Committee's competence. You need do nothing now.",
        "days",
    ),
    Status.ASSIGNED: _("The executor examines it and answers you by the due date. You may call the executor."),
    Status.IN_PROGRESS: _(
        "The executor is preparing the answer, due by the due date. If you have new documents, call the executor."
    ),
    Status.AWAITING_APPLICANT: _(
        "Send the executor the information asked for, or call the executor: the answer depends on it."
    ),
    Status.ANSWERED: _("Keep the answer. If you disagree with it, you may complain: see how to complain."),
    Status.FORWARDED: _("The competent body examines it now and answers you itself; ask that body about its progress."),
    Status.LEFT_WITHOUT_CONSIDERATION: _(
        "You may send a new appeal that meets the requirements, or complain about this decision."
    ),
}

FINAL = frozenset({Status.ANSWERED, Status.FORWARDED, Status.LEFT_WITHOUT_CONSIDERATION})
OPEN = frozenset(Status) - FINAL
# The same, in a fixed order, for SQL: `status IN (…)` is then written the same way every time.
OPEN_LIST = tuple(sorted(OPEN))

_ANY_OPEN_TO = {Status.FORWARDED, Status.LEFT_WITHOUT_CONSIDERATION}
TRANSITIONS: dict[Status, frozenset[Status]] = {
    # registered → assigned happens by assigning an executor (services.assign_letter), not here.
    Status.REGISTERED: frozenset(_ANY_OPEN_TO),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, *_ANY_OPEN_TO}),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_APPLICANT, Status.ANSWERED, *_ANY_OPEN_TO}),
    Status.AWAITING_APPLICANT: frozenset({Status.IN_PROGRESS, *_ANY_OPEN_TO}),
    Status.ANSWERED: frozenset(),
    Status.FORWARDED: frozenset(),
    Status.LEFT_WITHOUT_CONSIDERATION: frozenset(),
}


NEEDS_EXECUTOR = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.AWAITING_APPLICANT})


def reachable(from_status: str) -> frozenset[Status]:
    """Every status a letter can come to from ``from_status`` along allowed transitions
    (assignment included), for records that skip steps, such as an import from the registry."""
    start = Status(from_status)
    seen, frontier = set(), [start]
    while frontier:
        status = frontier.pop()
        following = set(TRANSITIONS[status]) | ({Status.ASSIGNED} if status == Status.REGISTERED else set())
        for nxt in following - seen:
            seen.add(nxt)
            frontier.append(nxt)
    return frozenset(seen)


def can_transition(from_status: str, to_status: str) -> bool:
    return Status(to_status) in TRANSITIONS[Status(from_status)]


def explanation(status: str) -> str:
    return str(EXPLANATIONS[Status(status)])


def next_steps(status: str) -> str:
    return str(NEXT_STEPS[Status(status)] % {"days": settings.APPEALS_FORWARDING_WORKING_DAYS})
