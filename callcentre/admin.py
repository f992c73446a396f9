from django.contrib import admin

from web.admin import EstimatedCountPaginator, ReadOnlyAdminMixin

from .models import OperatorAccess


@admin.register(OperatorAccess)
class OperatorAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What each operator searched for and opened; read by supervisors, altered by nobody."""

    list_display = ["occurred_at", "user", "action", "query", "filters", "result_count", "letter"]
    list_filter = ["action", "occurred_at"]
    list_select_related = ["user", "letter"]
    search_fields = ["user__username", "=letter__registration_number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
