"""Staff roles: Django groups with exact permissions. The migration ``0002_roles`` creates them,
so every environment has them; ``sync_roles`` is idempotent and can be run again."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """Group names (data, stable across languages; shown translated in the UI via ``label``)."""

    REGISTRY_CLERK = "Registry clerk"
    EXECUTOR = "Executor"
    DEPARTMENT_HEAD = "Department head"
    SUPERVISOR = "Supervisor"
    CALL_CENTRE_OPERATOR = "Call-centre operator"
    ADMINISTRATOR = "Administrator"


_VIEW_REFERENCE = ["view_department", "view_executor", "view_calendarday"]

PERMISSIONS: dict[Role, list[str]] = {
    Role.REGISTRY_CLERK: [
        *_VIEW_REFERENCE,
        "view_letter",
        "add_letter",
        "change_letter",
        "register_letter",
        "assign_letter",
    ],
    Role.EXECUTOR: [*_VIEW_REFERENCE, "view_letter", "change_letter_status"],
    Role.DEPARTMENT_HEAD: [
        *_VIEW_REFERENCE,
        "view_letter",
        "assign_letter",
        "change_letter_status",
        "extend_due_date",
        "reopen_letter",
        "view_reports",
    ],
    Role.SUPERVISOR: [
        *_VIEW_REFERENCE,
        "view_letter",
        "view_historicalletter",
        "view_statusevent",
        "view_lookuplog",
        "view_notification",
        "view_reports",
    ],
    Role.CALL_CENTRE_OPERATOR: ["search_letters"],
    Role.ADMINISTRATOR: [
        *_VIEW_REFERENCE,
        "add_department",
        "change_department",
        "add_executor",
        "change_executor",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
        "view_letter",
        "add_letter",
        "change_letter",
        "register_letter",
        "assign_letter",
        "change_letter_status",
        "extend_due_date",
        "reopen_letter",
        "view_reports",
        "view_historicalletter",
        "view_statusevent",
        "view_lookuplog",
        "view_notification",
        "search_letters",
    ],
}

# Roles that work in the Django admin (is_staff); the Call Centre has its own page.
ADMIN_ROLES = frozenset(Role) - {Role.CALL_CENTRE_OPERATOR}


def sync_roles(group_model, permission_model) -> None:
    """Give each role's group exactly the permissions listed above (appeals app only)."""
    for role, codenames in PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        permissions = list(permission_model.objects.filter(content_type__app_label="appeals", codename__in=codenames))
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"permissions missing for {role}: {sorted(missing)}")
        group.permissions.set(permissions)
