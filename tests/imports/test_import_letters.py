"""import_letters: the registry export comes across whole, or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from appeals import services
from appeals.imports import COLUMNS, ImportFileError, import_letters
from appeals.models import Department, EventKind, Executor, ImportJob, Letter, RegistrationCounter, StatusEvent
from appeals.numbers import format_registration_number
from appeals.statuses import Status
from tests.factories import LetterFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English here; their translations are checked by msgfmt."""
    from django.utils import translation

    with translation.override("en"):
        yield


HEADER = list(COLUMNS)
N42 = format_registration_number(2025, 42)


def row(**overrides) -> dict:
    base = {
        "registration_number": "",
        "received_on": "2026-02-10",
        "kind": "letter",
        "channel": "post",
        "subject": "Rüsumun qaytarılması, təcili",
        "applicant_name": "Əliyev Elvin",
        "applicant_email": "",
        "applicant_phone": "+994 50 111 22 33",
        "department_code": "CUST",
        "department_name": "Gömrük nəzarəti",
        "executor_name": "Həsənov Rəşad",
        "executor_position": "Baş mütəxəssis",
        "executor_phone": "+994 12 404 22 21",
        "status": "in_progress",
    }
    base.update(overrides)
    return base


def write(tmp_path, rows, *, header=HEADER, bom=False, newline="\r\n", encoding="utf-8", name="letters.csv"):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator=newline, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode(encoding) + buffer.getvalue().encode(encoding))
    return str(path)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_letters", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_imports_with_numbers_events_and_creates_what_is_missing(tmp_path):
    path = write(
        tmp_path,
        [
            row(),
            row(
                registration_number=N42,
                received_on="2025-12-20",
                kind="request",
                channel="electronic",
                subject="Тест: кириллица",
                applicant_name="Иванов Иван",
                applicant_email="ivan@example.ru",
                department_code="LEGAL",
                department_name="Hüquq idarəsi",
                executor_name="",
                status="registered",
            ),
        ],
        bom=True,
    )
    out, _err = run(path)
    assert "2 rows: 2 created, 0 updated, 0 unchanged." in out
    assert "line 2: 2026-000001-5" in out
    imported = Letter.objects.get(registration_number="2026-000001-5")
    assert (imported.status, imported.subject) == (Status.IN_PROGRESS, "Rüsumun qaytarılması, təcili")
    assert imported.executor.full_name == "Həsənov Rəşad"
    assert imported.applicant_search_key == " aliav alvin "  # Əliyev Elvin, folded by searchkey.fold
    assert imported.due_date is not None
    assert Letter.objects.get(registration_number=N42).applicant_name == "Иванов Иван"
    assert Department.objects.filter(code__in=["CUST", "LEGAL"]).count() == 2
    assert StatusEvent.objects.filter(kind=EventKind.IMPORT).count() == 2
    assert imported.history.count() == 1
    # the given number is reserved: the next registration in 2025 comes after it
    assert RegistrationCounter.objects.get(year=2025).last_sequence == 42


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write(tmp_path, [row(), row(registration_number=N42, received_on="2025-12-20", status="registered")])
    run(path)
    before = (Letter.objects.count(), StatusEvent.objects.count(), Letter.history.count())
    out, _err = run(path)
    assert "0 created, 0 updated, 2 unchanged" in out
    assert (Letter.objects.count(), StatusEvent.objects.count(), Letter.history.count()) == before


def test_a_changed_status_updates_and_records_an_event(tmp_path):
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")]))
    out, _err = run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")]))
    assert "0 created, 1 updated, 0 unchanged" in out
    letter = Letter.objects.get(registration_number=N42)
    assert letter.status == Status.ANSWERED
    assert letter.events.last().from_status == Status.IN_PROGRESS
    assert letter.history.first().history_type == "~"


def test_dry_run_writes_nothing_but_says_what_it_would_do(tmp_path):
    out, _err = run(write(tmp_path, [row()]), "--dry-run")
    assert "Dry run" in out and "1 created" in out
    assert not Letter.objects.exists()
    assert not Department.objects.exists()


def test_output_file_lists_every_row(tmp_path):
    output = tmp_path / "result.csv"
    run(write(tmp_path, [row(), row(applicant_name="Quliyeva Nigar")]), "--output", str(output))
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["line,registration_number,outcome", "2,2026-000001-5,created", "3,2026-000002-8,created"]


BAD_ROWS = [
    (row(received_on="10.02.2026"), "received_on must be a date"),
    (row(received_on="2099-01-01"), "received_on: A letter cannot be registered with a future date."),
    (row(kind="complaint"), "unknown kind"),
    (row(channel="fax"), "unknown channel"),
    (row(status="lost"), "unknown status"),
    (row(registration_number="2026-000042-7"), "wrong check digit"),
    (row(registration_number="42"), "not in the form"),
    (row(subject=""), "subject is empty"),
    (row(applicant_email="not an address"), "not a valid e-mail"),
    (row(status="assigned", executor_name=""), "needs an executor_name"),
    (row(department_code="NEW", department_name=""), "department NEW is new"),
    (row(executor_name="Yeni İcraçı", executor_phone=""), "executor Yeni İcraçı is new"),
    (row(subject="x" * 501), "subject is longer than 500"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_ROWS)
def test_one_bad_row_means_nothing_is_imported(tmp_path, bad, reason):
    path = write(tmp_path, [row(applicant_name="Rzayev Kamran"), bad, row(applicant_name="Abbasov Murad")])
    with pytest.raises(CommandError, match="1 of 3 rows have errors; nothing was imported"):
        run(path)
    assert not Letter.objects.exists()
    assert not Department.objects.exists()


def test_every_bad_row_is_reported_with_its_line(tmp_path, capsys):
    path = write(tmp_path, [row(kind="x"), row(), row(channel="y")])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_letters", path, stdout=io.StringIO(), stderr=err)
    assert "line 2: unknown kind" in err.getvalue()
    assert "line 4: unknown channel" in err.getvalue()


def test_duplicate_numbers_inside_the_file(tmp_path):
    path = write(
        tmp_path,
        [
            row(registration_number=N42, received_on="2025-12-20"),
            row(registration_number=N42, received_on="2025-12-20"),
        ],
    )
    result = import_letters(path=path)
    assert result.errors == [(3, "duplicate of line 2 (same registration number)")]


def test_duplicate_rows_without_a_number(tmp_path):
    result = import_letters(path=write(tmp_path, [row(), row()]))
    assert result.errors[0][0] == 3 and "duplicate of line 2" in result.errors[0][1]


def test_a_number_registered_for_another_letter_is_refused(tmp_path):
    existing = LetterFactory(received_on=__import__("datetime").date(2026, 3, 2), applicant_name="Məmmədova Aygün")
    path = write(tmp_path, [row(registration_number=existing.registration_number, received_on="2026-03-02")])
    result = import_letters(path=path)
    assert not result.ok
    assert "already registered for another letter" in result.errors[0][1]
    assert Letter.objects.count() == 1


def test_columns_in_any_order_quoted_commas_and_lf_endings(tmp_path):
    shuffled = list(reversed(HEADER))
    path = write(tmp_path, [row(subject='Sual: "rüsum", ödəniş, qaytarma')], header=shuffled, newline="\n")
    run(path)
    assert Letter.objects.get().subject == 'Sual: "rüsum", ödəniş, qaytarma'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"registration_number,received_on\n", "Missing columns: kind, channel"),
        ("\ufeffreceived_on,kind\n".encode("utf-8"), "Missing columns"),
        (",".join(HEADER).encode() + "\n,2026-01-05,letter,post,Mövzu,Əliyev\n".encode("cp1254", "replace"), "UTF-8"),
        (",".join(HEADER).encode("utf-16"), "binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))
    assert not Letter.objects.exists()


def test_cp1251_text_is_refused_as_not_utf8(tmp_path):
    path = tmp_path / "cyrillic.csv"
    path.write_bytes(
        (",".join(HEADER) + "\n" + ",".join(row(subject="Письмо").values()) + "\n").encode("cp1251", "replace")
    )
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_letters(path=str(path))


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = write(tmp_path, [row(applicant_name=f"Ad {i}") for i in range(20)])
    with pytest.raises(CommandError, match="too large"):
        run(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.csv"))


def test_executor_found_again_by_name_and_department(tmp_path):
    run(write(tmp_path, [row(), row(applicant_name="Quliyeva Nigar", executor_phone="")]))
    assert Executor.objects.count() == 1


def test_numbers_assigned_never_collide_with_numbers_given_later_in_the_file(tmp_path):
    given = format_registration_number(2026, 1)
    path = write(tmp_path, [row(applicant_name="Nömrəsiz"), row(registration_number=given, received_on="2026-02-10")])
    out, _err = run(path)
    assert "2 created" in out
    assert Letter.objects.get(applicant_name="Nömrəsiz").registration_number == format_registration_number(2026, 2)


def test_admin_upload_previews_errors_then_imports(admin_client, tmp_path):
    """The admin's upload runs in the background (tests/imports/test_import_jobs.py has the rest)."""
    bad = write(tmp_path, [row(kind="x"), row()], name="bad.csv")
    with open(bad, "rb") as handle:
        admin_client.post("/admin/appeals/letter/import/", {"file": handle, "dry_run": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    good = write(tmp_path, [row()], name="good.csv")
    with open(good, "rb") as handle:
        admin_client.post("/admin/appeals/letter/import/", {"file": handle, "dry_run": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    with open(good, "rb") as handle:
        admin_client.post("/admin/appeals/letter/import/", {"file": handle}, HTTP_ACCEPT_LANGUAGE="en")
    run_tasks()
    bad_check, good_check, real = [
        admin_client.get(
            reverse("admin:appeals_letter_import_job", args=[pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        for pk in ImportJob.objects.order_by("pk").values_list("pk", flat=True)
    ]
    assert "unknown kind" in bad_check
    assert "The file is clean: 1 rows." in good_check
    assert Letter.objects.get().registration_number in real


def test_admin_upload_of_a_binary_file(admin_client, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with open(path, "rb") as handle:
        response = admin_client.post("/admin/appeals/letter/import/", {"file": handle}, HTTP_ACCEPT_LANGUAGE="en")
    run_tasks()
    response = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "binary data" in response.content.decode()


def test_only_administrators_import(client, make_staff, tmp_path):
    from appeals.roles import Role

    client.force_login(make_staff(Role.REGISTRY_CLERK))
    assert client.get("/admin/appeals/letter/import/").status_code == 403
    client.force_login(make_staff(Role.ADMINISTRATOR, username="adm"))
    assert client.get("/admin/appeals/letter/import/").status_code == 200


def test_errors_are_reported_in_the_staff_language(tmp_path):
    from django.utils import translation

    with translation.override("ru"):
        result = import_letters(path=write(tmp_path, [row(kind="x")]))
    assert "kind" in result.errors[0][1] and "unknown" not in result.errors[0][1]


def test_a_file_without_optional_columns_never_blanks_what_a_letter_holds(tmp_path):
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", applicant_email="a@example.az")]))
    slim = [c for c in HEADER if c not in ("applicant_email", "applicant_phone", "executor_name")]
    out, _err = run(
        write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")], header=slim)
    )
    assert "1 updated" in out
    letter = Letter.objects.get(registration_number=N42)
    assert (letter.status, letter.applicant_email, letter.applicant_phone) == (
        Status.ANSWERED,
        "a@example.az",
        "+994 50 111 22 33",
    )
    assert letter.executor.full_name == "Həsənov Rəşad"


def test_an_import_does_not_reopen_a_closed_letter(tmp_path):
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")]))
    result = import_letters(path=write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")]))
    assert "cannot go from “answered” to “in_progress”" in result.errors[0][1]
    assert Letter.objects.get().status == Status.ANSWERED


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row(received_on="20260105"), "received_on must be a date"),
        (row(received_on="2026-W02-3"), "received_on must be a date"),
        (row(applicant_email="a" * 250 + "@example.az"), "not a valid e-mail"),
    ],
)
def test_more_values_that_would_break_the_database_are_reported(tmp_path, bad, reason):
    result = import_letters(path=write(tmp_path, [bad]))
    assert reason in result.errors[0][1]


def test_a_nul_byte_deep_in_the_file_is_reported_not_fatal(tmp_path):
    rows = [row(applicant_name=f"Ad {i}") for i in range(200)] + [row(subject="x\x00y")]
    result = import_letters(path=write(tmp_path, rows))
    assert not result.ok and result.errors[0][0] == 202


def test_a_name_that_folds_longer_is_still_searchable(tmp_path):
    run(write(tmp_path, [row(applicant_name="ß" * 200)]))
    assert len(Letter.objects.get().applicant_search_key) <= 300


def test_a_dry_run_takes_no_numbers(tmp_path):
    run(write(tmp_path, [row()]), "--dry-run")
    assert not RegistrationCounter.objects.filter(last_sequence__gt=0).exists()
    out, _err = run(write(tmp_path, [row()]))
    assert "line 2: 2026-000001-5" in out


def test_the_admin_sends_big_files_to_the_command(admin_client, tmp_path, settings):
    settings.IMPORT_ADMIN_MAX_BYTES = 100
    with open(write(tmp_path, [row(), row(applicant_name="B")]), "rb") as handle:
        html = admin_client.post(
            "/admin/appeals/letter/import/", {"file": handle}, HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert "import_letters command" in html and not Letter.objects.exists()


def test_imported_and_updated_letters_are_found_by_the_public_lookup(tmp_path, client):
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")]))
    html = client.get("/en/track/", {"number": N42}).content.decode()
    assert "Gömrük nəzarəti" in html and "Həsənov Rəşad" in html and "In progress" in html
    assert "Əliyev Elvin" not in html and "Rüsumun" not in html
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")]))
    html = client.get("/en/track/", {"number": N42}).content.decode()
    assert "Answered" in html


def test_an_imported_answer_counts_in_every_report_like_one_given_in_the_admin(tmp_path, admin_user):
    """The same letter answered today, once through the import and once by an executor:
    the reports, the timeline's shape and the public view cannot tell them apart."""
    from reports import queries

    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")]))
    imported = Letter.objects.get(registration_number=N42)
    by_hand = services.register_letter(
        received_on=imported.received_on,
        kind=imported.kind,
        channel=imported.channel,
        subject="Əl ilə",
        applicant_name="Başqa Ərizəçi",
        executor=imported.executor,
        notify=False,
    )
    services.change_status(letter=by_hand, to_status=Status.IN_PROGRESS, notify=False)
    services.change_status(
        letter=by_hand, to_status=Status.ANSWERED, answer_channel="post", actor=admin_user, notify=False
    )
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")]))

    imported.refresh_from_db()
    by_hand.refresh_from_db()
    assert imported.closed_on == by_hand.closed_on == timezone.localdate()
    assert imported.answer_working_days == by_hand.answer_working_days > 0
    today = timezone.localdate()
    scope = queries.Scope(date_from=dt.date(2025, 1, 1), date_to=today, department_ids=None)
    (times,) = queries.answer_times(scope)
    assert times["answered"] == 2 and times["median"] == imported.answer_working_days
    assert sum(row["answered"] for row in queries.on_time(scope)) == 2
    assert sum(row["answered"] for row in queries.on_time_by_month(scope)) == 2
    assert imported.events.last().to_status == by_hand.events.last().to_status == Status.ANSWERED
    assert imported.public.data["status"] == by_hand.public.data["status"] == Status.ANSWERED


def test_the_audit_history_of_an_import_is_the_letter_as_saved_and_who_imported_it(tmp_path, admin_user):
    path = write(tmp_path, [row(registration_number=N42, received_on="2025-12-20")])
    import_letters(path=path, actor=admin_user)
    letter = Letter.objects.get(registration_number=N42)
    (version,) = letter.history.all()
    for field in ("registration_number", "status", "subject", "department_id", "executor_id", "due_date"):
        assert getattr(version, field) == getattr(letter, field), field
    assert (version.history_type, version.history_user) == ("+", admin_user)
    import_letters(path=write(tmp_path, [row(registration_number=N42, received_on="2025-12-20", status="answered")]))
    latest = letter.history.first()
    assert (latest.history_type, latest.status, latest.closed_on) == ("~", Status.ANSWERED, timezone.localdate())
    assert letter.history.count() == 2


def test_an_empty_executor_cell_keeps_the_executor_whatever_else_the_batch_changes(tmp_path):
    n43 = format_registration_number(2025, 43)
    run(write(tmp_path, [row(registration_number=N42, received_on="2025-12-20"), row(registration_number=n43)]))
    executor = Letter.objects.get(registration_number=N42).executor
    run(
        write(
            tmp_path,
            [
                row(registration_number=N42, received_on="2025-12-20", status="forwarded", executor_name=""),
                row(registration_number=n43, executor_name="Quliyeva Nigar", executor_phone="+994 12 404 22 22"),
            ],
        )
    )
    letter = Letter.objects.get(registration_number=N42)
    assert (letter.status, letter.executor) == (Status.FORWARDED, executor)
    assert letter.events.last().executor == executor
    assert letter.public.data["executor"]["name"] == executor.full_name
    assert Letter.objects.get(registration_number=n43).executor.full_name == "Quliyeva Nigar"


def test_how_a_letter_ended_must_fit_its_status(tmp_path):
    """An open row with a competent body, or an answered one with a ground, is a line error;
    a letter that moves from one ending to another keeps only what fits the new one."""
    path = write(
        tmp_path, [row(competent_body="Vergi Xidməti"), row(status="answered", non_consideration_ground="court")]
    )
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_letters", path, stdout=io.StringIO(), stderr=err)
    assert "line 2: competent_body is given for a letter whose status is not “forwarded”" in err.getvalue()
    assert "line 3: non_consideration_ground is given" in err.getvalue()
    run(write(tmp_path, [row(registration_number=N42)]))
    run(write(tmp_path, [row(registration_number=N42, status="forwarded", competent_body="Vergi Xidməti")]))
    letter = Letter.objects.get(registration_number=N42)
    assert (letter.status, letter.forwarded_to, letter.answer_channel) == (Status.FORWARDED, "Vergi Xidməti", "")
    assert letter.public.data["forwarded_to"] == "Vergi Xidməti"
