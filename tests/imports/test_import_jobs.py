"""The admin's registry upload runs in the background: the page follows it, then sums it up."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.urls import reverse

from appeals.imports import import_letters
from appeals.models import ImportJob, Letter, RegistrationCounter
from appeals.numbers import format_registration_number
from appeals.roles import Role
from tests.imports.test_import_letters import HEADER, row, write
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/appeals/letter/import/"
REFRESH = '<meta http-equiv="refresh" content="2">'


def upload(client, path, *, dry_run=False):
    with open(path, "rb") as handle:
        data = {"file": handle, **({"dry_run": "on"} if dry_run else {})}
        return client.post(IMPORT_URL, data, HTTP_ACCEPT_LANGUAGE="en")


def page(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def three_rows(tmp_path, **overrides):
    return write(
        tmp_path,
        [
            row(**overrides),
            row(applicant_name="Quliyeva Nigar", **overrides),
            row(registration_number=format_registration_number(2025, 42), received_on="2025-12-20", **overrides),
        ],
    )


def test_an_upload_is_queued_then_imported_and_summed_up(admin_client, tmp_path):
    response = upload(admin_client, three_rows(tmp_path))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:appeals_letter_import_job", args=[job.pk])
    html = page(admin_client, response.url)
    assert "letters.csv" in html and "Queued" in html and REFRESH in html
    assert not Letter.objects.exists()

    run_tasks()

    html = page(admin_client, response.url)
    assert "Done" in html and REFRESH not in html
    assert "3 rows imported: 3 created, 0 updated, 0 unchanged." in html
    assert Letter.objects.count() == 3
    assert "Numbers assigned" in html
    for number in Letter.objects.exclude(registration_sequence=42).values_list("registration_number", flat=True):
        assert number in html


def test_a_file_with_errors_shows_them_by_line_and_writes_nothing(admin_client, tmp_path):
    path = write(tmp_path, [row(), row(kind="x"), row(received_on="10.02.2026")])
    url = upload(admin_client, path).url
    run_tasks()
    html = page(admin_client, url)
    assert "2 rows have errors; nothing was imported." in html
    assert "<td>3</td><td>unknown kind" in html
    assert "<td>4</td>" in html
    assert not Letter.objects.exists()


def test_a_dry_run_writes_nothing_and_says_what_an_import_would_do(admin_client, tmp_path):
    url = upload(admin_client, three_rows(tmp_path), dry_run=True).url
    run_tasks()
    html = page(admin_client, url)
    assert "only a check, nothing is written" in html
    assert "The file is clean: 3 rows. An import would create 3, update 0 and leave 0 unchanged." in html
    assert not Letter.objects.exists()
    assert not RegistrationCounter.objects.filter(last_sequence__gt=0).exists()


def test_the_page_follows_the_progress(admin_client, tmp_path):
    """While the import runs, the page (reloading itself) shows it running and the rows checked."""
    url = upload(admin_client, three_rows(tmp_path)).url
    seen = []

    def watched(**kwargs):
        progress = kwargs.pop("progress")

        def report(stage, rows):
            progress(stage, rows)
            seen.append(page(admin_client, url))

        return import_letters(progress=report, **kwargs)

    with mock.patch("appeals.imports.jobs.import_letters", watched):
        run_tasks()
    assert seen and all("Running" in html and REFRESH in html for html in seen)
    assert "Checking the rows" in seen[0]
    job = ImportJob.objects.get()
    assert (job.state, job.rows_checked, job.rows_written) == ("done", 3, 3)
    html = page(admin_client, url)
    assert '<th scope="row">Rows checked</th><td>3</td>' in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"registration_number,received_on\n2026-000001-5,2026-01-05\n", "Missing columns: kind, channel"),
        ((",".join(HEADER) + "\n,2026-01-05,letter,post,Письмо,Əliyev\n").encode("cp1251", "replace"), "UTF-8"),
    ],
)
def test_an_unreadable_file_ends_as_failed_with_the_reason(admin_client, tmp_path, content, message):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    url = upload(admin_client, path).url
    run_tasks()
    html = page(admin_client, url)
    assert "Failed" in html and message in html and REFRESH not in html
    assert not Letter.objects.exists()


def test_an_unexpected_error_fails_the_job_and_is_logged(admin_client, tmp_path, caplog):
    url = upload(admin_client, three_rows(tmp_path)).url
    with (
        mock.patch("appeals.imports.jobs.import_letters", side_effect=RuntimeError("disk full")),
        caplog.at_level(logging.ERROR, logger="appeals.imports.jobs"),
    ):
        run_tasks()
    html = page(admin_client, url)
    assert "Failed" in html and "unexpected error; nothing was imported" in html
    assert "disk full" not in html
    assert any("disk full" in (record.exc_text or "") for record in caplog.records)
    assert ImportJob.objects.get().file is None


def test_the_file_is_dropped_once_the_job_finishes(admin_client, tmp_path):
    upload(admin_client, three_rows(tmp_path))
    assert bytes(ImportJob.objects.get().file).startswith(b"registration_number,")
    run_tasks()
    job = ImportJob.objects.get()
    assert job.file is None
    assert job.outcome["created"] == 3  # the summary stays


def test_a_job_is_seen_by_whoever_started_it_and_superusers(client, make_staff, tmp_path):
    owner = make_staff(Role.ADMINISTRATOR, username="owner")
    other = make_staff(Role.ADMINISTRATOR, username="other")
    clerk = make_staff(Role.REGISTRY_CLERK)
    root = make_staff(None)
    client.force_login(owner)
    url = upload(client, three_rows(tmp_path)).url
    assert url in page(client, IMPORT_URL)  # listed among the owner's recent imports
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert url not in page(client, IMPORT_URL)
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    client.force_login(root)
    assert "letters.csv" in page(client, url)


def test_the_import_page_lists_the_last_ten_imports(admin_client, tmp_path):
    path = three_rows(tmp_path)
    urls = [upload(admin_client, path, dry_run=True).url for _ in range(11)]
    html = page(admin_client, IMPORT_URL)
    assert "Your recent imports" in html
    assert all(f'href="{url}"' in html for url in urls[1:])
    assert f'href="{urls[0]}"' not in html


def test_a_100000_row_file_is_accepted_by_the_browser_upload(admin_client, tmp_path):
    """A 100,000-row export is about 37 MB (benchmarks/import_letters.py): not refused with a
    413 by the request-size limit, nor by the form, nor by Django's upload limits."""
    line = ",".join(row(subject="Ş" * 180).values()).encode() + b"\r\n"
    path = tmp_path / "big.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\r\n" + line * (38 * 2**20 // len(line)))
    response = upload(admin_client, path, dry_run=True)
    assert response.status_code == 302
    assert len(bytes(ImportJob.objects.get().file)) == path.stat().st_size


def test_a_job_a_killed_worker_left_running_is_failed_by_the_upkeep(admin_client, tmp_path):
    import datetime as dt

    from django.utils import timezone

    from appeals import upkeep

    response = upload(admin_client, three_rows(tmp_path))
    job = ImportJob.objects.get()
    ImportJob.objects.update(state="running", started_at=timezone.now() - dt.timedelta(minutes=30))
    upkeep.tidy()
    assert ImportJob.objects.get().state == "running"  # maybe still at work
    ImportJob.objects.update(started_at=timezone.now() - dt.timedelta(hours=2))
    upkeep.tidy()
    job.refresh_from_db()
    assert job.state == "failed" and job.file is None
    html = page(admin_client, response.url)
    assert REFRESH not in html and not Letter.objects.exists()
