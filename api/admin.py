from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from appeals.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Administrators create clients (the token is shown once) and revoke them (untick active)."""

    list_display = ["name", "token_prefix", "is_active", "rate_limit_per_minute", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "token_prefix"]
    readonly_fields = ["token_prefix", "created_at"]
    fields = ["name", "is_active", "rate_limit_per_minute", "token_prefix", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            token = obj.issue_token()
            messages.warning(
                request,
                _("The token of %(name)s is %(token)s — copy it now: it is not stored and will not be shown again.")
                % {"name": obj.name, "token": token},
            )
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the lookup log refers to clients; revoke instead
