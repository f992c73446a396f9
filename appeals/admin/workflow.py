"""The letter workflow's admin views: each action is its own form and calls its service."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import access, acknowledgement, services
from ..forms import AssignForm, ExtendDueDateForm, ImportForm, ReopenForm, StatusChangeForm
from ..imports.jobs import start_import
from ..models import ImportJob, ImportState, Letter

WorkflowAction = Callable[[Letter, dict, object], Letter]
RECENT_IMPORTS = 10


class LetterWorkflowMixin:
    """The letter's workflow in the admin: one small form per action (status, assignment,
    extension, reopening) and the registry import, each calling its service."""

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
        custom.append(
            path(
                "<int:pk>/acknowledgement/",
                self.admin_site.admin_view(self.acknowledgement_view),
                name="appeals_letter_acknowledgement",
            )
        )
        custom.append(path("import/", self.admin_site.admin_view(self.import_view), name="appeals_letter_import"))
        custom.append(
            path(
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_job_view),
                name="appeals_letter_import_job",
            )
        )
        return custom + super().get_urls()

    def import_view(self, request):
        """Upload a registry export: the imports worker runs it (a dry run first shows every
        error; nothing is written until the file is clean and the box is unticked) and the
        browser goes to the job's progress page. Below the form, the user's recent imports."""
        if not request.user.has_perm("appeals.import_letters"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
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
            job = start_import(
                upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], actor=request.user
            )
            return HttpResponseRedirect(reverse("admin:appeals_letter_import_job", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import letters from the registry"),
            "form": form,
            "jobs": ImportJob.objects.filter(created_by=request.user).defer("file")[:RECENT_IMPORTS],
        }
        return TemplateResponse(request, "admin/appeals/letter/import.html", context)

    def import_job_view(self, request, pk):
        """One import's progress, then its summary; the page reloads itself until it is done."""
        if not request.user.has_perm("appeals.import_letters"):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.visible_to(request.user).select_related("created_by").defer("file"), pk=pk
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Registry import: %(file)s") % {"file": job.file_name},
            "job": job,
            "result": job.outcome if job.state == ImportState.DONE else None,
        }
        return TemplateResponse(request, "admin/appeals/letter/import_job.html", context)

    def acknowledgement_view(self, request, pk):
        """A one-page paper acknowledgement for a letter brought in person or by post, in the
        applicant's language (or ?lang=), with a QR code that opens its result page."""
        letter = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, letter):
            raise PermissionDenied
        language = request.GET.get("lang", letter.applicant_language)
        if language not in dict(settings.LANGUAGES):
            language = letter.applicant_language
        with translation.override(language):
            return TemplateResponse(request, "appeals/acknowledgement.html", acknowledgement.context(letter, language))

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
                forwarded_to=data.get("forwarded_to", ""),
                reason=data.get("reason", ""),
                ground=data.get("ground", ""),
                answer_channel=data.get("answer_channel", ""),
                outgoing_number=data.get("outgoing_number", ""),
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
                letter=letter,
                working_days=data["working_days"],
                reason=data["reason"],
                ground=data["ground"],
                actor=user,
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
