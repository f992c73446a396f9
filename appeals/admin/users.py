"""Staff accounts: deactivated, never deleted. Roles and permissions read in the page's language."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..roles import Role

# The roles' group names are data, the same in every language (roles.py); staff read them here.
ROLE_NAMES = {
    Role.REGISTRY_CLERK: _("Registry clerk"),
    Role.EXECUTOR: _("Executor"),
    Role.DEPARTMENT_HEAD: _("Department head"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.CALL_CENTRE_OPERATOR: _("Call-centre operator"),
    Role.ADMINISTRATOR: _("Administrator"),
}
# Django's default permissions, "Can add <model>" and so on, after the model's name.
ACTIONS = {
    "add": pgettext_lazy("permission", "Can add"),
    "change": pgettext_lazy("permission", "Can change"),
    "delete": pgettext_lazy("permission", "Can delete"),
    "view": pgettext_lazy("permission", "Can view"),
}


def group_name(group: Group) -> str:
    """A role's name in the page's language; a group an administrator made, as it is called."""
    return str(ROLE_NAMES.get(group.name, group.name))


def _in_language(name) -> str:
    """A verbose name: a lazy one is already translated; a plain string is looked up."""
    return gettext(name) if isinstance(name, str) else str(name)


def permission_label(permission: Permission) -> str:
    """ "<application> | <model> | <what it allows>" in the page's language. Django keeps
    permission names in English in the database; they are composed here from the content type
    and the codename (the default four) or translated from the name (the models' own)."""
    model = permission.content_type.model_class()
    if model is None:  # a model that no longer exists
        return str(permission)
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    allows = ACTIONS[action] if model_name == opts.model_name and action in ACTIONS else gettext(permission.name)
    return f"{_in_language(opts.app_config.verbose_name)} | {_in_language(opts.verbose_name)} | {allows}"


class PermissionLabelsMixin:
    """The permission pickers of the user and group forms show ``permission_label``."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django joins this help text into one string when it starts (in that moment's language,
    the warning in English): here it is put together in the page's language."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class StaffUserAdmin(PermissionLabelsMixin, UserAdmin):
    """Staff accounts are deactivated, never deleted: the audit trail names who did what."""

    change_password_form = PasswordChangeForm

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StaffGroupAdmin(PermissionLabelsMixin, GroupAdmin):
    pass


def _permission_link_str(link) -> str:
    return permission_label(link.permission)


def _membership_str(link) -> str:
    return f"{link.user} — {link.group}"


# Every place Django names a group (lists, filters, the user form, breadcrumbs) calls str().
Group.__str__ = group_name
# The rows that link groups, users and permissions, listed when a group is deleted: Django names
# them after the classes ("Group-permission relationship", "Group_permissions object (1)").
for _through, _singular, _plural, _str in (
    (Group.permissions.through, _("permission of a group"), _("permissions of a group"), _permission_link_str),
    (get_user_model().groups.through, _("membership of a group"), _("memberships of a group"), _membership_str),
    (
        get_user_model().user_permissions.through,
        _("permission of a user"),
        _("permissions of a user"),
        _permission_link_str,
    ),
):
    _through._meta.verbose_name, _through._meta.verbose_name_plural = _singular, _plural
    _through.__str__ = _str

admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, StaffGroupAdmin)
