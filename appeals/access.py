"""Row-level rules: which letters a staff member sees and what they may do to each.
The admin asks these functions; nothing else decides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Department, Letter


def _department_of(user) -> Department | None:
    executor = getattr(user, "executor", None)
    return executor.department if executor is not None else None


def department_tree_ids(department: Department) -> list[int]:
    """The department and all its sub-departments, however deep (one query per level). Each
    department is visited once, so even a cycle that got into the data cannot make it loop."""
    ids, frontier = [department.pk], [department.pk]
    seen = {department.pk}
    while frontier:
        below = Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in below if pk not in seen]
        seen.update(frontier)
        ids.extend(frontier)
    return ids


def _sees_everything(user) -> bool:
    return user.is_superuser or user.has_perm("appeals.register_letter") or user.has_perm("appeals.view_lookuplog")


def visible_letters(user, queryset=None):
    """Letters the user may see in the admin."""
    queryset = Letter.objects.all() if queryset is None else queryset
    if not user.is_active or not user.is_staff:
        return queryset.none()
    if _sees_everything(user):
        return queryset
    rules = Q(pk__in=[])
    if user.has_perm("appeals.extend_due_date"):  # department head: their department tree
        department = _department_of(user)
        if department is not None:
            rules |= Q(department_id__in=department_tree_ids(department))
    if user.has_perm("appeals.change_letter_status") and getattr(user, "executor", None) is not None:
        rules |= Q(executor__user=user)
    return queryset.filter(rules)


def _within_reach(user, letter: Letter) -> bool:
    return visible_letters(user, Letter.objects.filter(pk=letter.pk)).exists()


def can_change_status(user, letter: Letter) -> bool:
    if not user.has_perm("appeals.change_letter_status"):
        return False
    if user.is_superuser:
        return True
    if user.has_perm("appeals.extend_due_date"):  # department heads act for their department
        return _within_reach(user, letter)
    return letter.executor is not None and letter.executor.user_id == user.pk


def can_assign(user, letter: Letter | None = None) -> bool:
    if not user.has_perm("appeals.assign_letter"):
        return False
    return letter is None or _within_reach(user, letter)


def can_extend(user, letter: Letter) -> bool:
    return user.has_perm("appeals.extend_due_date") and _within_reach(user, letter)


def can_reopen(user, letter: Letter) -> bool:
    return user.has_perm("appeals.reopen_letter") and _within_reach(user, letter)


def assignable_departments(user):
    """Departments a user may hand letters to: all for clerks, their tree for heads."""
    if user.is_superuser or user.has_perm("appeals.register_letter"):
        return Department.objects.all()
    department = _department_of(user)
    if department is None:
        return Department.objects.none()
    return Department.objects.filter(pk__in=department_tree_ids(department))


def report_department_ids(user) -> list[int] | None:
    """Which departments' figures a user may read in the reports: None for all (supervisors
    of the Main Department), else their own department tree (department heads). The reports
    check their own permission first."""
    if user.is_superuser or user.has_perm("appeals.view_lookuplog"):
        return None
    department = _department_of(user)
    if department is None:
        raise PermissionDenied
    return department_tree_ids(department)
