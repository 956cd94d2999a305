"""The daily job on a real Celery worker process, against the test database."""

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

from finance.models import Tranche, TrancheEvent
from finance.tasks import tranches_advance_daily
from program.celery import app as celery_app
from tests.finance.helpers import scheduled

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
    """Start `celery worker` on a queue of its own; point this process's producer at it
    (the pattern of tests/worker/test_celery_worker.py)."""
    redis_url = _redis_url()
    try:
        with Connection(redis_url, connect_timeout=2) as probe:
            probe.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        pytest.fail(f"Redis at {redis_url} does not answer ({type(error).__name__}).")
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
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)
    monkeypatch.setitem(celery_app.conf, "broker_url", redis_url)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    celery_app._pool = None
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
        print(log[-4000:])


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there within {timeout} s")


def _snapshot() -> list[tuple[int, str, int]]:
    return list(Tranche.objects.order_by("pk").values_list("pk", "status", "version"))


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_on_a_real_worker_moves_tranches_once(worker_queue) -> None:
    terms = scheduled()
    today = "2026-11-27"
    tranches_advance_daily.delay(today)
    # Quarterly from 2026-04-01: the start fee, rent and aid for April, July and October fell due,
    # and all seven are more than 30 days late by 27 November.
    _wait_for(lambda: Tranche.objects.filter(status="overdue").count() == 7)
    assert Tranche.objects.filter(agreement=terms.agreement, status="due").count() == 0
    after_first = _snapshot()
    events = TrancheEvent.objects.count()
    tranches_advance_daily.delay(today)
    tranches_advance_daily.delay(today)
    # A marker queued after the repeats: January's rent and aid fall due on 2027-01-01. One solo
    # worker on one queue runs in order, so once the marker has run the repeats have run too.
    tranches_advance_daily.delay("2027-01-01")
    _wait_for(lambda: Tranche.objects.filter(status="due").count() == 2)
    january = set(Tranche.objects.filter(status="due").values_list("pk", flat=True))
    unchanged = [row for row in after_first if row[0] not in january]
    assert [row for row in _snapshot() if row[0] not in january] == unchanged
    assert TrancheEvent.objects.count() == events + 2


def test_the_beat_schedule_runs_the_job_daily() -> None:
    entry = celery_app.conf.beat_schedule["finance-tranches-advance"]
    assert entry["task"] == tranches_advance_daily.name
