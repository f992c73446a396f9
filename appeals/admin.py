"""Staff back office. Every write to a letter goes through the services, so it is recorded;
who may see or do what is asked of ``access``, nowhere else."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from web.admin import EstimatedCountPaginator, ReadOnlyAdminMixin

from . import access, rules, services
from .forms import AssignForm, ExtendDueDateForm, ImportForm, ReopenForm, StatusChangeForm
from .imports import ImportFileError, import_letters
from .models import CalendarDay, Department, Executor, Letter, LookupLog, Notification, StatusEvent
from .numbers import InvalidNumber, normalise_registration_number

admin.site.site_header = _("DGK Tracker — back office")
admin.site.site_title = _("DGK Tracker")
admin.site.index_title = _("Letters and requests")


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


class StatusEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusEvent
    fields = [
        "occurred_at",
        "kind",
        "from_status",
        "to_status",
        "department",
        "executor",
        "actor",
        "public_note",
        "staff_note",
    ]
    readonly_fields = fields
    extra = 0
    ordering = ["occurred_at", "pk"]
    verbose_name_plural = _("History")

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # whoever sees the letter sees its history


class NotificationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Notification
    fields = ["created_at", "kind", "recipient", "language", "delivered", "error"]
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return True


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("soon", _("Due in 3 working days")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "soon":
            return queryset.due_soon(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue(today).values("pk"))
        return queryset


class LetterAdminForm(forms.ModelForm):
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
            "needs_additional_study",
        ]

    def clean(self):
        data = super().clean()
        rules.on_form(self, rules.check_assignment, data.get("department"), data.get("executor"))
        if data.get("received_on"):
            rules.on_form(self, rules.check_received_on, data["received_on"])
        return data


WorkflowAction = Callable[[Letter, dict, object], Letter]


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
        "overdue",
    ]
    # No date_hierarchy on the big tables: it asks for every distinct date, a full scan.
    list_filter = ["status", OverdueFilter, "channel", "kind", "department", "received_on"]
    list_select_related = ["department", "executor"]
    search_fields = ["applicant_name", "applicant_email", "applicant_phone", "subject"]
    search_help_text = _("A registration number finds the letter at once; other words search applicant and subject.")
    autocomplete_fields = ["department", "executor"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [StatusEventInline, NotificationInline]
    change_form_template = "admin/appeals/letter/change_form.html"
    change_list_template = "admin/appeals/letter/change_list.html"
    readonly_fields_on_change = [
        "registration_number",
        "received_on",
        "status",
        "department",
        "executor",
        "needs_additional_study",
        "due_date",
        "original_due_date",
        "extension_reason",
        "forwarded_to",
        "closure_reason",
        "created_at",
        "updated_at",
    ]

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, letter: Letter) -> bool:
        return letter.is_overdue

    # --- who sees what -------------------------------------------------------------------

    def get_queryset(self, request):
        return access.visible_letters(request.user, super().get_queryset(request))

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("appeals.view_letter")

    def has_view_permission(self, request, obj=None) -> bool:
        if not request.user.has_perm("appeals.view_letter"):
            return False
        if obj is None:
            return True
        # The letter page asks several times (view, change, inlines): one query per request.
        in_reach = request.__dict__.setdefault("_letters_in_reach", {})
        if obj.pk not in in_reach:
            in_reach[obj.pk] = access.visible_letters(request.user).filter(pk=obj.pk).exists()
        return in_reach[obj.pk]

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("appeals.register_letter")

    def has_change_permission(self, request, obj=None) -> bool:
        if not request.user.has_perm("appeals.change_letter"):
            return False
        return obj is None or self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # letters are never deleted; they are closed

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.readonly_fields_on_change

    def get_fields(self, request, obj=None):
        if obj is None:
            return LetterAdminForm.Meta.fields
        first, rest = self.readonly_fields_on_change[:2], self.readonly_fields_on_change[2:]
        return [*first, *sorted(services.DETAIL_FIELDS, key=LetterAdminForm.Meta.fields.index), *rest]

    def get_search_results(self, request, queryset, search_term):
        """A number-shaped query goes straight to the unique index; nothing else is scanned."""
        search_term = search_term.replace("\x00", "")  # PostgreSQL cannot compare with NUL
        try:
            number = normalise_registration_number(search_term)
        except InvalidNumber:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(registration_number=number.canonical), False

    # --- writes, through the services ----------------------------------------------------

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            services.update_letter_details(
                letter=obj, actor=request.user, **{f: data[f] for f in form.changed_data if f in data}
            )
            return
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
        )
        obj.pk = letter.pk
        obj.registration_number = letter.registration_number

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(
            request,
            _("Registered under number %(number)s. Give this number to the applicant.")
            % {"number": obj.registration_number},
        )
        return HttpResponseRedirect(reverse("admin:appeals_letter_change", args=[obj.pk]))

    def message_user(self, request, message, *args, **kwargs) -> None:
        if request.resolver_match and request.resolver_match.url_name == "appeals_letter_add":
            return  # response_add says it better, with the number
        super().message_user(request, message, *args, **kwargs)

    # --- the workflow: one small form per action ------------------------------------------

    def get_urls(self):
        actions = [
            ("status", self.status_view, "appeals_letter_status"),
            ("assign", self.assign_view, "appeals_letter_assign"),
            ("extend", self.extend_view, "appeals_letter_extend"),
            ("reopen", self.reopen_view, "appeals_letter_reopen"),
        ]
        custom = [
            path(f"<int:pk>/{slug}/", self.admin_site.admin_view(view), name=name) for slug, view, name in actions
        ]
        custom.append(path("import/", self.admin_site.admin_view(self.import_view), name="appeals_letter_import"))
        return custom + super().get_urls()

    def import_view(self, request):
        """Upload a registry export: a dry run first shows every error; nothing is written
        until the file is clean and the box is unticked."""
        if not request.user.has_perm("appeals.import_letters"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        result = None
        if (
            request.method == "POST"
            and form.is_valid()
            and form.cleaned_data["file"].size > settings.IMPORT_ADMIN_MAX_BYTES
        ):
            form.add_error(
                "file",
                _("Files over %(limit)s MB are imported with the import_letters command, not through the browser.")
                % {"limit": settings.IMPORT_ADMIN_MAX_BYTES // 2**20},
            )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(suffix=".csv") as stored:
                for chunk in upload.chunks():
                    stored.write(chunk)
                stored.flush()
                try:
                    result = import_letters(path=stored.name, dry_run=form.cleaned_data["dry_run"], actor=request.user)
                except ImportFileError as error:
                    form.add_error("file", str(error))
            if result is not None and result.ok and not result.dry_run:
                messages.success(
                    request,
                    _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import letters from the registry"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/appeals/letter/import.html", context)

    def allowed_actions(self, request, letter: Letter) -> dict[str, bool]:
        user = request.user
        return {
            "status": letter.is_open and access.can_change_status(user, letter),
            "assign": letter.is_open and access.can_assign(user, letter),
            "extend": letter.can_be_extended and access.can_extend(user, letter),
            "reopen": not letter.is_open and access.can_reopen(user, letter),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        letter = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "workflow": self.allowed_actions(request, letter) if letter else {}}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow(
        self,
        request: HttpRequest,
        pk: int,
        *,
        action: str,
        title,
        make_form: Callable[..., forms.Form],
        perform: WorkflowAction,
        done,
    ) -> HttpResponse:
        letter = get_object_or_404(self.get_queryset(request).select_related("department", "executor"), pk=pk)
        if not self.allowed_actions(request, letter)[action]:
            raise PermissionDenied
        form = make_form(request.POST or None, letter)
        if request.method == "POST" and form.is_valid():
            try:
                perform(letter, form.cleaned_data, request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("admin:appeals_letter_change", args=[letter.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": letter,
            "title": f"{title}: {letter.registration_number}",
            "form": form,
            "letter": letter,
        }
        return TemplateResponse(request, "admin/appeals/letter/workflow_form.html", context)

    def status_view(self, request, pk):
        return self._workflow(
            request,
            pk,
            action="status",
            title=_("Change status"),
            make_form=lambda data, letter: StatusChangeForm(data, letter=letter),
            perform=lambda letter, data, user: services.change_status(
                letter=letter,
                to_status=data["status"],
                actor=user,
                note=data["note"],
                forwarded_to=data["forwarded_to"],
                reason=data["reason"],
            ),
            done=_("The status was changed; the citizen sees it now."),
        )

    def assign_view(self, request, pk):
        return self._workflow(
            request,
            pk,
            action="assign",
            title=_("Assign"),
            make_form=lambda data, letter: AssignForm(
                data,
                departments=access.assignable_departments(request.user),
                initial={"department": letter.department_id, "executor": letter.executor_id},
            ),
            perform=lambda letter, data, user: services.assign_letter(
                letter=letter, department=data["department"], executor=data["executor"], actor=user, note=data["note"]
            ),
            done=_("The letter was assigned."),
        )

    def extend_view(self, request, pk):
        return self._workflow(
            request,
            pk,
            action="extend",
            title=_("Extend the due date"),
            make_form=lambda data, letter: ExtendDueDateForm(data),
            perform=lambda letter, data, user: services.extend_due_date(
                letter=letter, working_days=data["working_days"], reason=data["reason"], actor=user
            ),
            done=_("The due date was extended."),
        )

    def reopen_view(self, request, pk):
        return self._workflow(
            request,
            pk,
            action="reopen",
            title=_("Reopen"),
            make_form=lambda data, letter: ReopenForm(data),
            perform=lambda letter, data, user: services.reopen_letter(letter=letter, actor=user, reason=data["reason"]),
            done=_("The letter was reopened."),
        )


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


class StaffUserAdmin(UserAdmin):
    """Staff accounts are deactivated, never deleted: the audit trail names who did what."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
