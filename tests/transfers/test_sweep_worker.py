"""The nightly sweep on a real Celery worker: run twice (even at once), it adds no duplicates."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Connection

from program.celery import app as celery_app
from program.core.models import Heartbeat
from program.core.tasks import HEARTBEAT, heartbeat
from tests.transfers.conftest import make_eligible_inmate
from transfers import services
from transfers.models import CaseEvent, Screening
from transfers.tasks import eligibility_sweep

pytestmark = pytest.mark.worker

# The worker fixture is copied from tests/worker/test_celery_worker.py.
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def _redis_url() -> str:
    configured = os.environ.get("CELERY_BROKER_URL", "")
    return configured if configured.startswith("redis://") else DEFAULT_REDIS


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgresql://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(monkeypatch) -> Iterator[str]:
    """Start `celery worker` on a queue of its own; point this process's producer at it."""
    redis_url = _redis_url()
    try:
        with Connection(redis_url, connect_timeout=2) as probe:
            probe.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        pytest.fail(
            f"Redis at {redis_url} does not answer ({type(error).__name__}). Start it "
            "(redis-server) or set CELERY_BROKER_URL to a Redis server; .ci/run starts it."
        )
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "program",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # Celery reads it before its config
    monkeypatch.setitem(celery_app.conf, "broker_url", redis_url)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    celery_app._pool = None  # the producer pool caches its broker connection
    try:
        yield queue
    finally:
        celery_app._pool = None
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log = worker.stdout.read().decode(errors="replace") if worker.stdout else ""
        print(log[-4000:])  # shown by pytest only when the test fails


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
