"""Read-only records for supervisors: events, the audit history, the lookup log, notices."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from web.admin import EstimatedCountPaginator, ReadOnlyAdminMixin

from ..models import Letter, LookupLog, Notification, StatusEvent


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "letter", "kind", "from_status", "to_status", "department", "executor", "actor"]
    list_filter = ["kind", "to_status", "occurred_at"]
    list_select_related = ["letter", "department", "executor", "actor"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Letter.history.model)
class LetterHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Field-level audit: every saved version of a letter, who saved it and what changed."""

    list_display = ["history_date", "registration_number", "history_type", "history_user", "changes"]
    list_filter = ["history_type", "history_date"]
    list_select_related = ["history_user"]
    search_fields = ["=registration_number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50

    @admin.display(description=_("changes"))
    def changes(self, record) -> str:
        previous = record.prev_record
        if previous is None:
            return "—"
        delta = record.diff_against(previous)
        return "; ".join(f"{change.field}: {change.old} → {change.new}" for change in delta.changes)


@admin.register(LookupLog)
class LookupLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "channel", "api_client", "number", "outcome", "language", "client_hash"]
    list_select_related = ["api_client"]
    list_filter = ["outcome", "channel", "language", "occurred_at"]
    search_fields = ["=number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "letter", "kind", "recipient", "delivered", "error"]
    list_filter = ["kind", "delivered", "created_at"]
    list_select_related = ["letter"]
