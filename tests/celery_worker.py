"""A real Celery worker process on Redis against the test database, as a fixture for any test
whose behaviour is the worker's (pytest plugin, registered in tests/conftest.py)."""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Connection

from program.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.fixture
def outbox_published(monkeypatch) -> Callable[[str], list[object]]:
    """What the outbox hands to the broker after commit, per task name (the broker is the edge):
    `queued = outbox_published("transfers.screen_job_run")` is the list of each call's first
    argument, in order."""
    from program.outbox import services as outbox

    published: dict[str, list[object]] = {}

    def publish(message, connection) -> None:
        published.setdefault(message.task, []).append(message.args[0] if message.args else None)

    monkeypatch.setattr(outbox, "_publish", publish)
    return lambda task: published.setdefault(task, [])
