"""A transport's manifest and letters made by a real Celery worker, counting its progress."""

import time
from datetime import date

import pytest
from django.db import transaction

from tests.letters.conftest import S, decided_case, letter_pages
from transfers.letters import services
from transfers.letters.models import Letter, LetterJob, LetterKind
from transfers.models import ManifestEntry, TransportBatch

pytestmark = pytest.mark.worker


@pytest.fixture
def shared_media(monkeypatch, settings, tmp_path) -> None:
    """The worker is another process: it must store the PDFs where this test reads them."""
    media = tmp_path / "worker-media"
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    settings.MEDIA_ROOT = media


def _wait_until_over(job_id: int, timeout: float = 120) -> LetterJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = LetterJob.objects.get(pk=job_id)
        if job.is_over:
            return job
        time.sleep(0.1)
    raise AssertionError(f"the worker did not finish the letter job within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_manifest_and_letters_of_a_transport(
    shared_media, worker_queue, programme, carla
) -> None:
    batch = TransportBatch.objects.create(
        agreement=programme,
        departs_on=date(2026, 12, 10),
        direction="dk_xk",
        seats=6,
        created_by=carla,
    )
    for n in range(5):
        # One transaction each: a booked case and its reservation are checked together at commit.
        with transaction.atomic():
            case = decided_case(carla, state=S.SCHEDULED, name=f"Traveller {n} Ñúñez")
            ManifestEntry.objects.create(batch=batch, case=case, added_by=carla)
    job = services.letter_job_start(batch=batch, actor=carla)  # queued on commit, by the outbox
    assert job.state == LetterJob.State.QUEUED
    finished = _wait_until_over(job.pk)
    assert finished.state == LetterJob.State.FINISHED, finished.error
    assert (finished.total, finished.done) == (6, 6)  # the manifest, then five notifications
    assert finished.made == 10
    assert finished.finished_at is not None
    manifest = Letter.objects.filter(kind=LetterKind.TRANSPORT_MANIFEST).first()
    text = " ".join(letter_pages(manifest))
    for n in range(5):
        assert f"Traveller {n} Ñúñez" in text
    assert Letter.objects.filter(kind=LetterKind.NOTIFICATION).count() == 5
