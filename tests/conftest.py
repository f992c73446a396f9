"""Shared fixtures: staff users in each role, and letters in and out of their reach."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from appeals import services
from appeals.roles import Role
from appeals.statuses import Status
from tests.factories import DepartmentFactory, ExecutorFactory, LetterFactory


def ensure_roles() -> None:
    """Tests on a transactional database (the browser tests) start from empty tables, without
    what the data migrations made: put the roles back, as the migrations do."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    from appeals.roles import sync_roles

    if Group.objects.count() >= len(Role):
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles(Group, Permission)


@pytest.fixture
def make_staff(db):
    ensure_roles()

    def make(role: Role | None, *, executor=None, username: str | None = None):
        User = get_user_model()
        name = username or (role.name.lower() if role else "root")
        user = User.objects.create_user(name, f"{name}@example.az", "x-password-123")
        user.is_staff = role != Role.CALL_CENTRE_OPERATOR
        user.is_superuser = role is None
        user.save()
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
        if executor is not None:
            executor.user = user
            executor.save()
        return user

    return make


@pytest.fixture
def world(db, make_staff):
    """Two departments (one a sub-department of the first) and one elsewhere; a letter in each."""
    head_department = DepartmentFactory(code="CUST")
    sub_department = DepartmentFactory(code="CUST-1", parent=head_department)
    other_department = DepartmentFactory(code="LEGAL")
    executor = ExecutorFactory(department=sub_department, full_name="Həsənov Rəşad")
    other_executor = ExecutorFactory(department=other_department, full_name="Quliyeva Nigar")
    head_executor = ExecutorFactory(department=head_department, full_name="Nəsirov Elnur")
    own = LetterFactory(executor=executor)
    foreign = LetterFactory(executor=other_executor)
    users = {
        "admin": make_staff(None),
        "administrator": make_staff(Role.ADMINISTRATOR),
        "clerk": make_staff(Role.REGISTRY_CLERK),
        "executor": make_staff(Role.EXECUTOR, executor=executor),
        "head": make_staff(Role.DEPARTMENT_HEAD, executor=head_executor),
        "supervisor": make_staff(Role.SUPERVISOR),
        "operator": make_staff(Role.CALL_CENTRE_OPERATOR),
    }
    closed = services.change_status(
        letter=LetterFactory(executor=executor), to_status=Status.FORWARDED, forwarded_to="Vergi Xidməti"
    )
    return {
        "users": users,
        "own": own,
        "foreign": foreign,
        "closed": closed,
        "executor": executor,
        "other_executor": other_executor,
        "sub_department": sub_department,
        "other_department": other_department,
    }
