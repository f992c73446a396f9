"""The letter pages: the list, registration, details and the audit inlines; the workflow
actions come from ``workflow.LetterWorkflowMixin``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from web.admin import EstimatedCountPaginator, ReadOnlyAdminMixin

from .. import access, rules, services, terms
from ..models import Letter, Notification, StatusEvent, Subscription
from ..numbers import InvalidNumber, normalise_registration_number
from . import history
from .workflow import LetterWorkflowMixin


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
    template = "admin/appeals/tabular_readonly.html"

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # whoever sees the letter sees its history


class NotificationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Notification
    fields = ["created_at", "kind", "channel", "recipient", "language", "state", "attempts", "sent_at", "error"]
    readonly_fields = fields
    extra = 0
    template = "admin/appeals/tabular_readonly.html"

    def has_view_permission(self, request, obj=None) -> bool:
        return True


class SubscriptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Who asked to follow the letter ("notify me"): their contact is personal data, shown to
    supervisors only (the one role with ``view_subscription``) and deleted when it ends."""

    model = Subscription
    fields = ["created_at", "channel", "contact", "language", "state", "confirmed_at", "ended_at"]
    readonly_fields = fields
    extra = 0
    template = "admin/appeals/tabular_readonly.html"


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("soon", terms.due_soon_title()), ("no", _("On time"))]

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
            "applicant_notices",
            "department",
            "executor",
            "needs_additional_study",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "applicant_notices" in self.fields:
            # Compared with the value the page showed, not the letter's value at saving: an
            # applicant's stop that came in meanwhile is not undone by an unrelated correction.
            self.fields["applicant_notices"].show_hidden_initial = True

    def clean(self):
        data = super().clean()
        rules.on_form(self, rules.check_assignment, data.get("department"), data.get("executor"))
        if data.get("received_on"):
            rules.on_form(self, rules.check_received_on, data["received_on"])
        return data


@admin.register(Letter)
class LetterAdmin(LetterWorkflowMixin, admin.ModelAdmin):
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
    inlines = [StatusEventInline, NotificationInline, SubscriptionInline]

    def get_inlines(self, request, obj=None):
        """A letter being registered has no history or notifications yet: no empty tables."""
        return self.inlines if obj is not None else []

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
        "legal_terms",
        "original_due_date",
        "extension_ground",
        "extension_reason",
        "answer_channel",
        "outgoing_number",
        "forwarded_to",
        "non_consideration_ground",
        "closure_reason",
        "created_at",
        "updated_at",
    ]

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, letter: Letter) -> bool:
        return letter.is_overdue

    @admin.display(description=_("legal terms"))
    def legal_terms(self, letter: Letter) -> str:
        """Each term the law sets (terms.py), its day and where the letter stands against it."""
        rows = format_html_join(
            "",
            '<tr><th scope="row">{} <span class="quiet">({})</span></th><td>{}{}</td><td{}>{}</td></tr>',
            (
                (
                    state.term.label,
                    _("art. %(article)s") % {"article": state.term.article},
                    f"{state.due:%d.%m.%Y}" if state.due else "—",
                    format_html(" <strong>{}</strong>", _("to be confirmed")) if state.provisional else "",
                    mark_safe(' class="errornote"') if state.late else "",
                    state.state,
                )
                for state in terms.states(letter, timezone.localdate())
            ),
        )
        extension = format_html(
            '<tr><th scope="row">{} <span class="quiet">({})</span></th><td colspan="2">{}</td></tr>',
            _("Extension"),
            _("art. %(article)s") % {"article": "10.2"},
            terms.extension_state(letter),
        )
        return format_html('<table class="legal-terms"><tbody>{}{}</tbody></table>', rows, extension)

    def history_view(self, request, object_id, extra_context=None):
        """The letter's own history: every saved version with what it changed (the audit),
        for those who may read the audit; the number of entries is the number of changes."""
        letter = self.get_object(request, object_id)
        if letter is None or not self.has_view_permission(request, letter):
            raise PermissionDenied
        if not request.user.has_perm("appeals.view_historicalletter"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": letter,
            "title": _("History of %(number)s") % {"number": letter.registration_number},
            "versions": history.letter_history(letter),
        }
        return TemplateResponse(request, "admin/appeals/letter/history.html", context)

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
            applicant_notices=data.get("applicant_notices", True),
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
