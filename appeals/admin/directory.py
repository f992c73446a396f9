"""Departments, executors and the holiday calendar (administrators)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import ngettext

from .. import services
from ..models import CalendarDay, Department, Executor, WorkingCalendar


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "name_ru", "name_en", "phone", "parent"]
    search_fields = ["code", "name_az", "name_ru", "name_en"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            services.public_directory_changed(department=obj)  # its name shows on the public pages


@admin.register(Executor)
class ExecutorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position_az", "phone", "department", "is_active", "user"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department", "user"]
    search_fields = ["full_name", "phone"]
    autocomplete_fields = ["department", "user"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            services.public_directory_changed(executor=obj)  # name, position and phone are public

    def get_search_results(self, request, queryset, search_term):
        """The executor picker on a letter offers active executors only."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        """A day added, moved or changed in kind: recompute the open letters it affects."""
        old = WorkingCalendar.load()
        before = CalendarDay.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        self._recomputed(request, old, {obj.date, before} - {None})

    def delete_model(self, request, obj) -> None:
        old = WorkingCalendar.load()
        super().delete_model(request, obj)
        self._recomputed(request, old, {obj.date})

    def delete_queryset(self, request, queryset) -> None:
        old, days = WorkingCalendar.load(), set(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        self._recomputed(request, old, days)

    def _recomputed(self, request, old, days) -> None:
        moved = services.calendar_changed(old=old, changed_days=days, actor=request.user)
        if moved:
            self.message_user(
                request,
                ngettext(
                    "The due date of %(count)d open letter was recomputed; its history says so.",
                    "The due dates of %(count)d open letters were recomputed; their history says so.",
                    moved,
                )
                % {"count": moved},
            )
