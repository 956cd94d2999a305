"""The nightly sweep on a real Celery worker: run twice (even at once), it adds no duplicates."""

import time

import pytest
from django.db import connection

from program.core.models import Heartbeat
from program.core.tasks import HEARTBEAT, heartbeat
from tests.transfers.conftest import make_eligible_inmate
from transfers import services
from transfers.models import CaseEvent, Screening
from transfers.tasks import eligibility_sweep

pytestmark = pytest.mark.worker

# The worker fixture is copied from tests/worker/test_celery_worker.py.


def _wait_for_heartbeat(runs: int, timeout: float = 90) -> None:
    """The worker runs one task at a time, in order: once this marker ran, so had the sweeps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Heartbeat.objects.filter(name=HEARTBEAT, runs__gte=runs).exists():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_run_twice_by_a_real_worker_adds_no_duplicates(
    worker_queue, carla, place
) -> None:
    case = services.case_open(inmate=make_eligible_inmate(), actor=carla)
    for _n in range(4):
        make_eligible_inmate()
    eligibility_sweep.delay()
    eligibility_sweep.delay()
    heartbeat.delay()
    _wait_for_heartbeat(runs=1)
    assert Screening.objects.count() == 5
    assert case.events.filter(kind=CaseEvent.Kind.OUTCOME_CHANGED).count() == 1

    case.inmate.security_level = "high"
    case.inmate.save()
    eligibility_sweep.delay()
    eligibility_sweep.delay()
    heartbeat.delay()
    _wait_for_heartbeat(runs=2)
    assert Screening.objects.count() == 6
    assert case.events.filter(kind=CaseEvent.Kind.OUTCOME_CHANGED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_take_turns_and_store_each_change_once(carla, place) -> None:
    import threading

    for _n in range(6):
        make_eligible_inmate()
    barrier = threading.Barrier(2)
    stored: list[int] = []

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            stored.append(services.sweep_run())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(stored) == [0, 6]
    assert Screening.objects.count() == 6
