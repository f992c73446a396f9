"""Departments, executors and the holiday calendar (administrators)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..models import CalendarDay, CalendarYear, Department, Executor, Letter, WorkingCalendar
from ..models.calendar import counting_over_q


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
    list_display = ["date", "kind", "name", "estimated"]
    list_filter = ["kind", "estimated"]
    date_hierarchy = "date"
    search_fields = ["name"]
    readonly_fields = ["estimated"]

    def save_model(self, request, obj, form, change) -> None:
        """A day added, moved or changed in kind: recompute the open letters it affects. What
        staff save is no longer the generator's estimate."""
        old = WorkingCalendar.load()
        before = CalendarDay.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
        obj.estimated = False
        super().save_model(request, obj, form, change)
        self._recomputed(request, old, {obj.date, before} - {None})

    def delete_model(self, request, obj) -> None:
        old = WorkingCalendar.load()
        super().delete_model(request, obj)
        self._recomputed(request, old, {obj.date})

    def delete_queryset(self, request, queryset) -> None:
        """Several days at once (the list's action, which Django does not wrap in a
        transaction): the days go only if their letters are recomputed too."""
        with transaction.atomic():
            old, days = WorkingCalendar.load(), set(queryset.values_list("date", flat=True))
            super().delete_queryset(request, queryset)
            self._recomputed(request, old, days)

    def delete_view(self, request, object_id, extra_context=None):
        """The confirmation page says how many open letters count over the day."""
        day = self.get_object(request, object_id)
        if day is not None:
            extra_context = {**(extra_context or {}), "letters_depending": letters_depending_on([day.date])}
        return super().delete_view(request, object_id, extra_context)

    def _recomputed(self, request, old, days) -> None:
        moved = services.calendar_changed(old=old, changed_days=days, actor=request.user)
        if moved:
            self.message_user(request, recomputed_message(moved))


def _days_of_year(**conditions):
    days = CalendarDay.objects.filter(date__year=OuterRef("year"), **conditions).order_by()
    return Coalesce(Subquery(days.values("date__year").annotate(count=Count("pk")).values("count")), 0)


def letters_depending_on(days) -> int:
    """Open letters whose term counts over one of ``days``: those a change to them recomputes."""
    return Letter.objects.open().filter(counting_over_q(days)).count()


def recomputed_message(count: int) -> str:
    return ngettext(
        "The due date of %(count)d open letter was recomputed; its history says so.",
        "The due dates of %(count)d open letters were recomputed; their history says so.",
        count,
    ) % {"count": count}


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A year's days off: added from the generator (estimated), checked against the Cabinet's
    decision, then confirmed; letters whose due date waited for the year are recomputed."""

    list_display = ["year", "confirmed", "days_off", "estimated_days", "source", "confirmed_at", "confirmed_by"]
    fields = ["year", "source", "confirmed", "confirmed_at", "confirmed_by"]
    readonly_fields = ["confirmed", "confirmed_at", "confirmed_by"]
    actions = ["confirm"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("confirmed_by")
            .annotate(days_count=_days_of_year(), estimated_count=_days_of_year(estimated=True))
        )

    @admin.display(description=_("days off and transferred days"))
    def days_off(self, obj) -> int:
        return obj.days_count

    @admin.display(description=_("estimated days"))
    def estimated_days(self, obj) -> int:
        return obj.estimated_count

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a year's days are deleted one by one, each recomputing its letters

    def save_model(self, request, obj, form, change) -> None:
        """A new year is filled from the generator; the days staff already entered stay."""
        super().save_model(request, obj, form, change)
        if not change:
            added = services.fill_calendar_year(year=obj.year, actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d day off was added from the generator; check it against the Cabinet's decision.",
                    "%(count)d days off were added from the generator; check them against the Cabinet's decision.",
                    added,
                )
                % {"count": added},
            )

    @admin.action(description=_("Confirm the selected years (the Cabinet's decision is entered)"))
    def confirm(self, request, queryset) -> None:
        for calendar_year in queryset.order_by("year"):
            try:
                changed = services.confirm_calendar_year(year=calendar_year.year, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(year)s confirmed; %(count)d open letter's due date was recomputed.",
                    "%(year)s confirmed; %(count)d open letters' due dates were recomputed.",
                    changed,
                )
                % {"year": calendar_year.year, "count": changed},
                messages.SUCCESS,
            )
