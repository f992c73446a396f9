"""The permission matrix: each role × each back-office page or action → allowed or refused."""

from __future__ import annotations

import pytest

ALLOWED, REFUSED = 200, "refused"

# page → how to build its URL from the world fixture
PAGES = {
    "letter list": lambda w: "/admin/appeals/letter/",
    "register letter": lambda w: "/admin/appeals/letter/add/",
    "own letter": lambda w: f"/admin/appeals/letter/{w['own'].pk}/change/",
    "foreign letter": lambda w: f"/admin/appeals/letter/{w['foreign'].pk}/change/",
    "change status (own)": lambda w: f"/admin/appeals/letter/{w['own'].pk}/status/",
    "change status (foreign)": lambda w: f"/admin/appeals/letter/{w['foreign'].pk}/status/",
    "assign (own)": lambda w: f"/admin/appeals/letter/{w['own'].pk}/assign/",
    "extend (own)": lambda w: f"/admin/appeals/letter/{w['own'].pk}/extend/",
    "reopen (closed)": lambda w: f"/admin/appeals/letter/{w['closed'].pk}/reopen/",
    "lookup log": lambda w: "/admin/appeals/lookuplog/",
    "audit history": lambda w: "/admin/appeals/historicalletter/",
    "status events": lambda w: "/admin/appeals/statusevent/",
    "holiday calendar (add)": lambda w: "/admin/appeals/calendarday/add/",
    "executors (add)": lambda w: "/admin/appeals/executor/add/",
}

Y, N = ALLOWED, REFUSED
# columns: admin, administrator, clerk, executor, head, supervisor, operator
MATRIX = {
    "letter list": [Y, Y, Y, Y, Y, Y, N],
    "register letter": [Y, Y, Y, N, N, N, N],
    "own letter": [Y, Y, Y, Y, Y, Y, N],
    "foreign letter": [Y, Y, Y, N, N, Y, N],
    "change status (own)": [Y, Y, N, Y, Y, N, N],
    "change status (foreign)": [Y, Y, N, N, N, N, N],
    "assign (own)": [Y, Y, Y, N, Y, N, N],
    "extend (own)": [Y, Y, N, N, Y, N, N],
    "reopen (closed)": [Y, Y, N, N, Y, N, N],
    "lookup log": [Y, Y, N, N, N, Y, N],
    "audit history": [Y, Y, N, N, N, Y, N],
    "status events": [Y, Y, N, N, N, Y, N],
    "holiday calendar (add)": [Y, Y, N, N, N, N, N],
    "executors (add)": [Y, Y, N, N, N, N, N],
}
ROLES = ["admin", "administrator", "clerk", "executor", "head", "supervisor", "operator"]
CASES = [(page, role, MATRIX[page][i]) for page in MATRIX for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_permission_matrix(client, world, page, role, expected):
    client.force_login(world["users"][role])
    response = client.get(PAGES[page](world))
    if expected == ALLOWED:
        assert response.status_code == 200
    else:
        # refused: 403, 404, a redirect to the admin login, or (a letter outside your
        # queryset) the admin's redirect to its index saying there is no such letter
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/login/", "/admin/"))
            assert world["foreign"].registration_number not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("model", ["lookuplog", "historicalletter", "statusevent", "notification"])
@pytest.mark.parametrize("role", ["admin", "administrator", "supervisor"])
def test_audit_rows_cannot_be_added_changed_or_deleted_by_anyone(client, world, model, role):
    from appeals.models import Letter, LookupLog, Notification, StatusEvent

    client.force_login(world["users"][role])
    LookupLog.objects.create(outcome="found", language="az")
    Notification.objects.create(letter=world["own"], kind="acknowledgement", recipient="a@example.az", language="az")
    row = {
        "lookuplog": LookupLog.objects.first(),
        "historicalletter": Letter.history.first(),
        "statusevent": StatusEvent.objects.first(),
        "notification": Notification.objects.first(),
    }[model]
    assert client.get(f"/admin/appeals/{model}/add/").status_code == 403
    base = f"/admin/appeals/{model}/{row.pk}"
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code in (403, 302)
    assert type(row).objects.filter(pk=row.pk).exists()
    change = client.post(f"{base}/change/", {})
    assert change.status_code in (200, 403)  # a read-only view at most
    assert type(row).objects.filter(pk=row.pk).exists()


def test_executor_list_shows_only_their_letters(client, world):
    client.force_login(world["users"]["executor"])
    html = client.get("/admin/appeals/letter/").content.decode()
    assert world["own"].registration_number in html
    assert world["foreign"].registration_number not in html


def test_department_head_sees_sub_departments_but_not_others(client, world):
    client.force_login(world["users"]["head"])
    html = client.get("/admin/appeals/letter/").content.decode()
    assert world["own"].registration_number in html  # in a sub-department
    assert world["foreign"].registration_number not in html


def test_letters_cannot_be_deleted_even_by_a_superuser(client, world):
    client.force_login(world["users"]["admin"])
    from appeals.models import Letter

    response = client.post(f"/admin/appeals/letter/{world['own'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Letter.objects.filter(pk=world["own"].pk).exists()


def test_every_role_group_has_exactly_its_listed_permissions(db):
    from django.contrib.auth.models import Group

    from appeals.roles import PERMISSIONS

    for role, names in PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert granted == {name if "." in name else f"appeals.{name}" for name in names}, role
