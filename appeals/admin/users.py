"""Staff accounts: deactivated, never deleted."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin


class StaffUserAdmin(UserAdmin):
    """Staff accounts are deactivated, never deleted: the audit trail names who did what."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
