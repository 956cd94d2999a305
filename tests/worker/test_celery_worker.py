"""A real Celery worker process, on Redis, against the test database."""

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
from django.db import connection, transaction
from kombu import Connection

from program.celery import app as celery_app
from program.core.models import Heartbeat
from program.core.tasks import HEARTBEAT, heartbeat

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
