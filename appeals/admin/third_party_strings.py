"""Msgids of other packages that staff see in the admin, so that ``make messages`` keeps them in
``locale/`` (it keeps only msgids it finds in our code) and Django finds our az and ru
translations first. Each is written exactly as its package's source writes it.

Listed here: what Django's own az and ru catalogues lack (or word awkwardly), everything
django-axes shows (it has no Azerbaijani and an uneven Russian catalogue), and
django-simple-history's version types, django-tasks-db's field names (it has no catalogue) and
the task states of Django's tasks framework. django-otp marks no strings for translation:
``third_party.py`` names its models and fields, and looks up its fieldset titles (listed here).
Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext, pgettext_lazy

STRINGS = [
    # Django: missing from its az and ru catalogues.
    gettext_noop("- Select an option -"),  # the empty choice of a select
    gettext_noop("Filter by %(field_name)s"),  # the date hierarchy above a list
    gettext_noop("Logout"),  # the page after signing out
    gettext_noop('The app "%s" could not be found.'),
    # Django: its az "%(cnt)s-dan/dən 0 seçilib" leaves the reader to pick the ending.
    gettext_noop("0 of %(cnt)s selected"),
    # Django: "Hə" and "Yox" are colloquial; a state body's forms say "Bəli" and "Xeyr".
    gettext_noop("Yes"),
    gettext_noop("No"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    # django-axes: its admin (axes/admin.py).
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    # django-axes: its models' names (axes/models.py).
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    # django-otp: its admins' fieldset titles (third_party.py translates them).
    gettext_noop("Identity"),
    gettext_noop("Timestamps"),
    gettext_noop("Configuration"),
    gettext_noop("State"),
    gettext_noop("Throttling"),
    # django-simple-history: the kind of a saved version (simple_history/models.py).
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    # django-tasks-db: the fields of its task rows (django_tasks_db/models.py) that its admin shows.
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    # Django: a task's state (django/tasks/base.py, TaskResultStatus). Its Russian "Упало" and
    # "Работает" are colloquial, its Azerbaijani "Hazırdır" does not say the task is waiting.
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    # reports.OverdueAlert has no translatable name of its own (permission labels, users.py).
    gettext_noop("overdue alert"),
]


def _plural_strings(count: int) -> None:
    """Never called: shows ``make messages`` the plural msgids (there is no ngettext_noop)."""
    ngettext("…and %(count)d more object.", "…and %(count)d more objects.", count)  # Django's admin
