"""Background work on Django's tasks framework: ``django.tasks`` on Django 6, the django-tasks
backport (the same API) on the Django 5.2 fallback. The backend is django-tasks-db (settings.TASKS):
a task is a row in our database, so enqueueing inside a transaction is part of that transaction."""

from __future__ import annotations

try:
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task  # type: ignore[no-redef]

__all__ = ["task"]
