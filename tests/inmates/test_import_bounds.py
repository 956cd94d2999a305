"""Imports are bounded: the problems listed are capped (the first 100 with their rows, then counts
by column), the checked rows wait in a table with an expiry (never in the session), and a large
file is imported by the worker, all or nothing, while the page shows its progress."""

import time
from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from program.audit.models import AccessLogEntry
from program.inmates import csv_import, import_jobs
from program.inmates.models import Inmate
from program.inmates.models_import import ImportJob
from program.inmates.tasks import REGISTER_IMPORT_TASK
from program.outbox.models import OutboxMessage

URL = reverse("inmates:import")
HEADER = ",".join((*csv_import.REQUIRED_COLUMNS, "return_readmits_reason"))
ORIGINS = ["MA", "DZ", "TN", "IQ", "SE"]


def _line(n: int, *, born: str = "", sex: str = "M") -> str:
    origin = ORIGINS[n % len(ORIGINS)]
    values = {
        "case_number": f"IMP-{n:07d}",
        "name": f"Imported Person {n}",
        "date_of_birth": born or f"{1970 + n % 30}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "sex": sex,
        "nationalities": origin,
        "languages": "English",
        "interpreter_needed": "no",
        "country_of_return": origin,
        "return_readmits": "yes",
        "security_level": ["low", "medium", "high"][n % 3],
        "serious_mental_disorder": "no",
        "specialist_treatment": "no",
        "minor_children_visiting": "no",
        "home_institution": "Vestre Prison",
        "return_readmits_reason": "Passport on file",
    }
    return ",".join(values[column] for column in HEADER.split(","))


def _file(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _good(rows: int) -> bytes:
    return _file([_line(n) for n in range(rows)])


def _preview(client, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("inmates.csv", data)})


def _confirm(client, job: ImportJob):
    return client.post(URL, {"job": job.pk, "digest": job.digest})


@pytest.mark.django_db
def test_a_file_of_many_bad_rows_lists_the_first_100_problems_and_counts_the_rest(
    caseworker,
) -> None:
    rows = 3000
    data = _file([_line(n, born="not-a-date", sex="Q") for n in range(rows)])
    response = _preview(caseworker, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"The file has {2 * rows:,} problems" in body  # a count people read: 6,000
    listed = body.split('data-testid="import-problems"')[1].split("</table>")[0]
    assert listed.count("<tr>") == 1 + 100  # the heading and the first hundred
    # Exact row numbers, in file order: two problems on each of rows 2 to 51.
    assert '<td class="app-number">2</td>' in listed
    assert '<td class="app-number">51</td>' in listed
    assert '<td class="app-number">52</td>' not in listed
    counts = body.split('data-testid="import-problem-counts"')[1].split("</table>")[0]
    assert f"{rows - 50:,}" in counts  # date_of_birth and sex, each beyond the 50 listed
    assert "date_of_birth" in counts
    assert f"{2 * rows - 100:,} more problems are not listed" in body
    assert len(response.content) < 100_000  # before: one table line per problem
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_checked_rows_wait_in_a_table_with_an_expiry_not_in_the_session(caseworker) -> None:
    response = _preview(caseworker, _good(150))
    body = response.content.decode()
    assert "150 to create, 0 to update, 0 unchanged." in body
    preview = body.split('data-testid="import-preview"')[1].split("</table>")[0]
    assert preview.count("<tr>") == 1 + 100
    assert "and 50 more rows, not shown." in body
    job = ImportJob.objects.get()
    assert (job.state, job.total, len(import_jobs.unpack(job.rows))) == ("previewed", 150, 150)
    assert timezone.now() < job.expires_at <= timezone.now() + import_jobs.PREVIEW_TTL
    session = caseworker.session
    assert len(session.encode(dict(session.items()))) < 1000
    assert str(job.pk) in body  # the confirm form names the stored preview


@pytest.mark.django_db
def test_an_expired_preview_cannot_be_confirmed_and_is_purged(caseworker) -> None:
    _preview(caseworker, _good(3))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = caseworker.post(URL, {"job": job.pk, "digest": job.digest}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert not Inmate.objects.exists()
    assert import_jobs.purge() == 1
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_nobody_else_can_confirm_or_watch_an_import(caseworker, make_user, client) -> None:
    from program.core.roles import Role

    _preview(caseworker, _good(3))
    job = ImportJob.objects.get()
    other = make_user("cora", Role.CASEWORKER)
    client.force_login(other)
    response = client.post(URL, {"job": job.pk, "digest": job.digest}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert client.get(reverse("inmates:import-job", args=[job.pk])).status_code == 404
    assert not Inmate.objects.exists()


@pytest.mark.django_db
def test_a_large_file_is_confirmed_as_a_job_with_a_progress_page(caseworker) -> None:
    rows = import_jobs.BACKGROUND_FROM_ROWS
    body = _preview(caseworker, _good(rows)).content.decode()
    assert "imported in the background" in body
    job = ImportJob.objects.get()
    response = _confirm(caseworker, job)
    assert response.status_code == 302
    assert response["Location"] == reverse("inmates:import-job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED
    assert not Inmate.objects.exists()  # the request did not import
    # The task is in the outbox, handed to the broker after commit.
    assert OutboxMessage.objects.filter(task=REGISTER_IMPORT_TASK, args=[str(job.pk)]).exists()
    page = caseworker.get(response["Location"]).content.decode()
    assert 'data-testid="import-job-progress"' in page
    assert "hx-get" in page
    assert f"0 of {rows:,} rows written" in page  # read by people: 1,000
    assert f'max="{rows}" value="0"' in page  # read by the browser: never 1,000
    # A second confirmation of the same preview does not queue it again.
    again = _confirm(caseworker, job)
    assert again.status_code == 302
    assert OutboxMessage.objects.filter(task=REGISTER_IMPORT_TASK).count() == 1


@pytest.mark.django_db
def test_the_job_imports_all_or_nothing(caseworker) -> None:
    rows = import_jobs.BACKGROUND_FROM_ROWS
    _preview(caseworker, _good(rows))
    job = ImportJob.objects.get()
    # The last row turns bad after the check (an inmate born in the future): nothing is kept.
    stored = import_jobs.unpack(job.rows)
    stored[-1] = replace(stored[-1], date_of_birth=timezone.localdate() + timedelta(days=1))
    ImportJob.objects.filter(pk=job.pk).update(rows=import_jobs.pack(stored))
    _confirm(caseworker, job)
    finished = import_jobs.run(
        job_id=job.pk, apply=import_jobs.apply_register_import, route="inmates:import"
    )
    assert finished.state == ImportJob.State.FAILED
    assert f"Row {rows + 1}" in finished.error
    assert not finished.rows
    assert not Inmate.objects.exists()
    page = caseworker.get(reverse("inmates:import-job", args=[job.pk]))
    assert 'data-testid="import-job-failed"' in page.content.decode()
    assert "hx-get" not in page.content.decode()  # over: the page stops polling


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_large_file_and_counts_its_progress(
    worker_queue, caseworker
) -> None:
    rows = import_jobs.BACKGROUND_FROM_ROWS + 200
    _preview(caseworker, _good(rows))
    job = ImportJob.objects.get()
    assert _confirm(caseworker, job).status_code == 302
    deadline = time.monotonic() + 120
    seen: set[int] = set()
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.done)
        if job.is_over:
            break
        time.sleep(0.1)
    assert job.state == ImportJob.State.DONE, job.error
    assert job.done == job.total == rows
    assert job.result == {
        "created": rows,
        "updated": 0,
        "unchanged": 0,
        "judgments_added": 0,
        "judgments_updated": 0,
        "expulsion_orders_added": 0,
        "expulsion_orders_updated": 0,
    }
    assert not job.rows
    assert Inmate.objects.count() == rows
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.IMPORT)
    assert len(entry.subject_ids) == rows
    assert entry.actor == get_user_model().objects.get(username="carla")
    page = caseworker.get(reverse("inmates:import-job", args=[job.pk])).content.decode()
    assert 'data-testid="import-job-done"' in page
