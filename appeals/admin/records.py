"""Read-only records for supervisors: events, the audit history, the lookup log, notices."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from web.admin import EstimatedCountPaginator, ReadOnlyAdminMixin

from ..models import Letter, LookupLog, Notification, StatusEvent
from . import history


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "letter", "kind", "from_status", "to_status", "department", "executor", "actor"]
    list_filter = ["kind", "to_status", "occurred_at"]
    list_select_related = ["letter", "department", "executor", "actor"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


class VersionKindFilter(admin.SimpleListFilter):
    """simple-history's own choices are English only: the same filter in our words."""

    title = _("what")
    parameter_name = "what"

    def lookups(self, request, model_admin):
        return [("+", _("registered")), ("~", _("changed"))]

    def queryset(self, request, queryset):
        return queryset.filter(history_type=self.value()) if self.value() else queryset


class VersionDateFilter(admin.DateFieldListFilter):
    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("when")


@admin.register(Letter.history.model)
class LetterHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Field-level audit: every saved version of a letter, who saved it and what changed, as a
    supervisor reads it (history.py)."""

    list_display = ["when", "registration_number", "what", "who", "changes"]
    list_filter = [VersionKindFilter, ("history_date", VersionDateFilter)]
    list_select_related = ["history_user"]
    search_fields = ["=registration_number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50

    def get_changelist_instance(self, request):
        """The page's versions with their previous ones and the names they show, read once."""
        changelist = super().get_changelist_instance(request)
        history.with_previous(changelist.result_list)
        return changelist

    @admin.display(description=_("when"), ordering="history_date")
    def when(self, version) -> str:
        return f"{timezone.localtime(version.history_date):%d.%m.%Y %H:%M}"

    @admin.display(description=_("what"))
    def what(self, version) -> str:
        return history.what_happened(version)

    @admin.display(description=_("by"))
    def who(self, version) -> str:
        return str(version.history_user or _("the system"))

    @admin.display(description=_("changes"))
    def changes(self, version) -> str:
        found = history.changes(version, version.previous, version.names)
        if not found:
            return "—"
        return format_html(
            '<ul class="audit-changes">{}</ul>',
            format_html_join("", "<li>{}: {} → {}</li>", ((c.field, c.old, c.new) for c in found)),
        )


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
    list_display = ["created_at", "letter", "kind", "channel", "recipient", "state", "attempts", "error"]
    list_filter = ["state", "kind", "channel", "created_at"]
    list_select_related = ["letter"]
