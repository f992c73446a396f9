"""Staff back office. Every write to a letter goes through the services, so it is recorded."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Department, Executor, Letter, LookupLog, StatusEvent
from .statuses import can_transition


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_az", "phone", "parent"]
    search_fields = ["code", "name_az", "name_ru", "name_en"]
    autocomplete_fields = ["parent"]


@admin.register(Executor)
class ExecutorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position_az", "phone", "department", "is_active"]
    list_filter = ["is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["full_name", "phone"]
    autocomplete_fields = ["department", "user"]


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    fields = ["occurred_at", "kind", "from_status", "to_status", "department", "executor", "actor", "public_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["occurred_at", "pk"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LetterAdminForm(forms.ModelForm):
    note = forms.CharField(
        label=_("public note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the citizen in the letter's history with this change."),
    )

    class Meta:
        model = Letter
        fields = [
            "received_on",
            "kind",
            "channel",
            "subject",
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "applicant_language",
            "department",
            "executor",
            "status",
            "needs_additional_study",
        ]

    def clean(self):
        """Refuse what the services would refuse, as form errors in the staff member's language."""
        data = super().clean()
        department, executor = data.get("department"), data.get("executor")
        if executor and department and executor.department_id != department.pk:
            self.add_error("executor", _("The executor does not work in the chosen department."))
        status_changed = self.instance.pk and "status" in self.changed_data
        if status_changed and not can_transition(self.instance.status, data["status"]):
            self.add_error("status", _("This status cannot follow the letter's current status."))
        return data


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    form = LetterAdminForm
    list_display = [
        "registration_number",
        "received_on",
        "kind",
        "channel",
        "department",
        "executor",
        "status",
        "due_date",
    ]
    list_filter = ["status", "channel", "kind", "department"]
    list_select_related = ["department", "executor"]
    search_fields = ["=registration_number"]
    autocomplete_fields = ["department", "executor"]
    readonly_fields = ["registration_number", "due_date", "created_at", "updated_at"]
    date_hierarchy = "received_on"
    show_full_result_count = False
    inlines = [StatusEventInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return [*self.readonly_fields, "status"]
        return [*self.readonly_fields, "received_on", "needs_additional_study"]

    def save_model(self, request, obj, form, change) -> None:
        """Registration, reassignment and status changes are domain operations (with events)."""
        data = form.cleaned_data
        note = data.get("note", "")
        try:
            if not change:
                letter = services.register_letter(
                    received_on=data["received_on"],
                    kind=data["kind"],
                    channel=data["channel"],
                    subject=data["subject"],
                    applicant_name=data["applicant_name"],
                    applicant_email=data.get("applicant_email", ""),
                    applicant_phone=data.get("applicant_phone", ""),
                    applicant_language=data.get("applicant_language", "az"),
                    department=data.get("department"),
                    executor=data.get("executor"),
                    needs_additional_study=data.get("needs_additional_study", False),
                    actor=request.user,
                    note=note,
                )
                obj.pk = letter.pk
                obj.registration_number = letter.registration_number
                messages.success(
                    request, _("Registered under number %(number)s.") % {"number": letter.registration_number}
                )
                return
            plain_fields = [f for f in form.changed_data if f not in {"department", "executor", "status", "note"}]
            if plain_fields:
                obj.save(update_fields=[*plain_fields, "updated_at"])
            if {"department", "executor"} & set(form.changed_data) and data.get("department"):
                services.assign_letter(
                    letter=obj,
                    department=data["department"],
                    executor=data.get("executor"),
                    actor=request.user,
                    note=note,
                )
            if "status" in form.changed_data:
                services.change_status(letter=obj, to_status=data["status"], actor=request.user, note=note)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))


@admin.register(LookupLog)
class LookupLogAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "channel", "number", "outcome", "language"]
    list_filter = ["outcome", "channel", "language"]
    date_hierarchy = "occurred_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
