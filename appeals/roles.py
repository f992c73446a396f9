"""Staff roles: Django groups with exact permissions. The migration ``0003_roles`` creates them,
so every environment has them; ``sync_roles`` is idempotent and can be run again."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """Group names: data, the same in every language (what migrations and tests refer to)."""

    REGISTRY_CLERK = "Registry clerk"
    EXECUTOR = "Executor"
    DEPARTMENT_HEAD = "Department head"
    SUPERVISOR = "Supervisor"
    CALL_CENTRE_OPERATOR = "Call-centre operator"
    ADMINISTRATOR = "Administrator"


_VIEW_REFERENCE = ["view_department", "view_executor", "view_calendarday", "view_calendaryear"]

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
        "reports.view_reports",
    ],
    Role.SUPERVISOR: [
        *_VIEW_REFERENCE,
        "callcentre.search_letters",
        "view_letter",
        "view_historicalletter",
        "view_statusevent",
        "view_lookuplog",
        "view_notification",
        "view_subscription",  # the only role that sees who follows a letter (their contact)
        "reports.view_reports",
        "callcentre.view_operatoraccess",
    ],
    Role.CALL_CENTRE_OPERATOR: ["callcentre.search_letters"],
    Role.ADMINISTRATOR: [
        *_VIEW_REFERENCE,
        "add_department",
        "change_department",
        "add_executor",
        "change_executor",
        "add_calendarday",
        "change_calendarday",
        "delete_calendarday",
        "add_calendaryear",
        "change_calendaryear",
        "view_letter",
        "add_letter",
        "change_letter",
        "register_letter",
        "assign_letter",
        "change_letter_status",
        "extend_due_date",
        "reopen_letter",
        "reports.view_reports",
        "view_historicalletter",
        "view_statusevent",
        "view_lookuplog",
        "view_notification",
        "callcentre.search_letters",
        "callcentre.view_operatoraccess",
        "import_letters",
        "auth.view_user",
        "view_apiclient",
        "add_apiclient",
        "change_apiclient",
        # Reset a colleague's second factor (a lost phone): delete their devices, they enrol again.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
}


def sync_roles(group_model, permission_model, *, strict: bool = True) -> None:
    """Give each role's group exactly the permissions listed above ("codename" means an
    ``appeals`` permission, "app_label.codename" another app's)."""
    for role, names in PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role.value)
        wanted = {tuple(name.split(".")) if "." in name else ("appeals", name) for name in names}
        permissions = [
            permission
            for permission in permission_model.objects.filter(codename__in=[c for _, c in wanted]).select_related(
                "content_type"
            )
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
        if missing and strict:
            raise LookupError(f"permissions missing for {role}: {sorted(missing)}")
        group.permissions.set(permissions)


def sync_roles_migration(apps, schema_editor) -> None:
    """For RunPython: make sure the permissions exist (they are normally created after all
    migrations), then sync. A change to PERMISSIONS ships with a migration that calls this.
    An early migration may not know a later model yet: its permissions are given by the later
    sync (tests/admin/test_permissions.py checks that every group ends up exact)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), strict=False)
