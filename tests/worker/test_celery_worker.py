"""A real Celery worker process, on Redis, against the test database."""

import time

import pytest
from django.db import transaction

from program.core.models import Heartbeat
from program.core.tasks import HEARTBEAT, heartbeat


def _wait_for_heartbeat(runs: int, timeout: float = 60) -> Heartbeat:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        beat = Heartbeat.objects.filter(name=HEARTBEAT, runs__gte=runs).first()
        if beat is not None:
            return beat
        time.sleep(0.2)
    raise AssertionError(f"the worker did not record heartbeat run {runs} within {timeout} s")


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_on_commit_is_run_by_a_real_worker(worker_queue) -> None:
    with transaction.atomic():
        heartbeat.delay_on_commit()
        assert not Heartbeat.objects.exists()
    beat = _wait_for_heartbeat(runs=1)
    assert beat.worker.startswith(worker_queue)


@pytest.mark.django_db(transaction=True)
def test_running_the_heartbeat_twice_counts_two_runs_in_one_row(worker_queue) -> None:
    heartbeat.delay()
    heartbeat.delay()
    beat = _wait_for_heartbeat(runs=2)
    assert Heartbeat.objects.count() == 1
    assert beat.runs == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_queues_nothing(worker_queue) -> None:
    def failing_action() -> None:
        with transaction.atomic():
            heartbeat.delay_on_commit()
            raise RuntimeError("the user's action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    heartbeat.delay()  # a marker: once it has run, anything queued before it has run too
    beat = _wait_for_heartbeat(runs=1)
    time.sleep(0.5)
    beat.refresh_from_db()
    assert beat.runs == 1
