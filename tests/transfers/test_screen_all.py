"""'Screen all candidates': a job the worker runs in chunks, with a progress bar in the page."""

import time

import pytest
from django.urls import reverse

from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.helpers import S
from transfers import services
from transfers.models import Screening, ScreeningJob, TransferCase


@pytest.fixture
def queued(outbox_published) -> list[int]:
    # Handed to the broker by the outbox after commit (program/outbox).
    return outbox_published("transfers.screen_job_run")


@pytest.fixture
def population(carla, place) -> list[TransferCase]:
    """Three open cases waiting to be screened and two candidates without a case."""
    cases = [services.case_open(inmate=make_eligible_inmate(), actor=carla) for _n in range(3)]
    make_eligible_inmate()
    make_eligible_inmate(security_level="high")
    return cases


@pytest.mark.django_db
def test_a_caseworker_starts_one_job_and_is_shown_its_progress(
    caseworker, carla, queued, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker.post(reverse("transfers:screen-all"))
    job = ScreeningJob.objects.get()
    assert response.url == reverse("transfers:screen-job", args=[job.pk])
    assert job.started_by == carla
    assert queued == [job.pk]
    # A second click while it waits joins the same job.
    with django_capture_on_commit_callbacks(execute=True):
        again = caseworker.post(reverse("transfers:screen-all"))
    assert again.url == response.url
    assert ScreeningJob.objects.count() == 1
    page = caseworker.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting for the worker" in page


@pytest.mark.django_db
def test_the_job_screens_cases_and_candidates_and_counts_to_the_total(
    carla, population, queued
) -> None:
    job = services.screen_job_start(actor=carla)
    finished = services.screen_job_run(job_id=job.pk)
    assert finished is not None
    assert finished.state == ScreeningJob.State.FINISHED
    assert (finished.done, finished.total, finished.cases_moved) == (5, 5, 3)
    assert finished.finished_at is not None
    assert {case.state for case in TransferCase.objects.all()} == {S.ELIGIBLE}
    assert Screening.objects.count() == 5
    # Run again (a redelivery): a finished job does nothing.
    services.screen_job_run(job_id=job.pk)
    assert Screening.objects.count() == 5


@pytest.mark.django_db
def test_the_progress_partial_stops_polling_when_the_job_is_over(
    caseworker, carla, population, queued
) -> None:
    job = services.screen_job_start(actor=carla)
    url = reverse("transfers:screen-job", args=[job.pk])
    ScreeningJob.objects.filter(pk=job.pk).update(state="running", total=10, done=4)
    partial = caseworker.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial
    assert 'value="4"' in partial
    assert 'max="10"' in partial
    services.screen_job_run(job_id=job.pk)
    partial = caseworker.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert "Finished" in partial


@pytest.mark.django_db
def test_a_job_that_breaks_is_marked_failed(carla, population, queued, monkeypatch) -> None:
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.screening, "screenings_run", broken)
    job = services.screen_job_start(actor=carla)
    with pytest.raises(RuntimeError):
        services.screen_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ScreeningJob.State.FAILED
    assert job.finished_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["occupancy_admin", "auditor", "finance_officer"])
def test_only_caseworkers_screen_all(who, persona, carla) -> None:
    client = persona(who)
    assert client.post(reverse("transfers:screen-all")).status_code == 403
    job = ScreeningJob.objects.create(started_by=carla)
    assert client.get(reverse("transfers:screen-job", args=[job.pk])).status_code == 403


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_job_queued_on_commit(worker_queue, carla, population) -> None:
    job = services.screen_job_start(actor=carla)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_over:
            break
        time.sleep(0.2)
    assert job.state == ScreeningJob.State.FINISHED
    assert job.done == job.total == 5
