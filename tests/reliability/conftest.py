"""Fault drills: real processes (a Celery worker, Redis, PostgreSQL, gunicorn) that the test
starts, kills and starts again. Each server is private to the test, on a port of its own: the
machine's Redis on 6379 and PostgreSQL on 5432 are used by others and never stopped here."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from program.celery import app as celery_app
from tests.celery_worker import ROOT, _redis_url, _test_database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str) -> float:
    """Poll until predicate() is true; return the seconds it took, or fail naming `what`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


class Worker:
    """`celery worker` (solo pool: the process that runs the task is the one killed) on a queue
    of its own, with late acknowledgement as configured in program/celery.py."""

    def __init__(self, *, broker_url: str, queue: str, env: dict[str, str], beat: bool) -> None:
        self.broker_url, self.queue, self.env, self.beat = broker_url, queue, env, beat
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="worker-", suffix=".log")[1])
        self.schedule_dir = Path(tempfile.mkdtemp(prefix="beat-"))

    def start(self) -> None:
        argv = [
            sys.executable, "-m", "celery", "-A", "program", "worker",
            "--pool", "solo", "--loglevel", "INFO", "--queues", self.queue,
            "--hostname", f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if self.beat:
            # Beat inside the worker with a file schedule, so the outbox relay ticks as deployed.
            argv += ["--beat", "--schedule", str(self.schedule_dir / "beat")]
            argv += ["--scheduler", "celery.beat:PersistentScheduler"]
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **self.env,
        }
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL, no warning: nothing runs in the worker after this (beat included)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_worker(monkeypatch) -> Iterator[Callable[..., Worker]]:
    """A factory of workers the test can kill; this process's producer sends to their queue.

    The broker is the machine's Redis (db 15) unless a test passes its own private one.
    """
    workers: list[Worker] = []
    queue = f"drill-{uuid.uuid4().hex[:12]}"

    def start(*, broker_url: str = "", beat: bool = False, **env: str) -> Worker:
        url = broker_url or _redis_url()
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setitem(celery_app.conf, "broker_url", url)
        monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
        monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
        monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
        celery_app._pool = None  # the producer pool caches its broker connection
        worker = Worker(broker_url=url, queue=queue, env=env, beat=beat)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    celery_app._pool = None
    for worker in workers:
        worker.stop()
        print(f"--- worker log {worker.log_path} ---\n{worker.log()[-6000:]}")
        worker.log_path.unlink(missing_ok=True)
        shutil.rmtree(worker.schedule_dir, ignore_errors=True)


class RedisServer:
    """A private redis-server that keeps nothing on disk: stopped and started, it comes back
    empty, as a crashed Redis without persistence does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="redis-drill-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server).")
        self.process = subprocess.Popen(
            [
                redis_server, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_until(self._answers, timeout=10, what="private Redis to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # no shutdown save: whatever it held is gone
            self.process.wait()
            self.process = None

    def keys(self) -> int:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(b"DBSIZE\r\n")
            return int(conn.recv(64).strip().lstrip(b":"))


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


# --- Transfer data for the drills (as tests/transfers/conftest.py, which is not in scope here) ---


@pytest.fixture
def transfer_data(db) -> None:
    """Countries, offence groups and reason codes come from data migrations; a transactional
    test earlier in the run may have flushed them, so they are loaded again if gone."""
    import importlib

    from django.apps import apps

    from program.inmates.models import Country

    if not Country.objects.exists():
        importlib.import_module("program.inmates.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("transfers.migrations.0001_initial").load_reason_codes(apps, None)


@pytest.fixture
def carla(caseworker, transfer_data) -> object:
    """The caseworker behind the `caseworker` client, with an e-mail address to be sent to."""
    from django.contrib.auth.models import User

    user = User.objects.get(username="carla")
    user.email = "carla@example.invalid"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def place(db) -> object:
    from tests.factories import PlaceFactory

    return PlaceFactory()


# --- A private PostgreSQL cluster (the machine's own programs, as program/devdb.py uses them) ---


class PostgresServer:
    """A cluster made by initdb in a temporary folder, on a TCP port of its own (trust, local
    only). As root the server runs as `postgres`, as in program/devdb.py."""

    def __init__(self) -> None:
        from program import devdb

        self._devdb = devdb
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="pg-drill-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"

    def url(self, database: str = "program") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *argv: str) -> None:
        command = self._devdb._as_server_user(list(argv))
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"{argv[0]} failed: {result.stderr or result.stdout}")

    def create(self) -> None:
        self._devdb._give_to_server_user(self.root)
        self._run(
            self._devdb._pg_bin("initdb"), "--pgdata", str(self.data), "--username", "postgres",
            "--auth", "trust", "--encoding", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(
            self._devdb._pg_bin("pg_ctl"), "start", "--pgdata", str(self.data), "--wait",
            "--log", str(self.log), "-o", options,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(
            self._devdb._pg_bin("pg_ctl"), "stop", "--pgdata", str(self.data), "--wait",
            "--mode", mode,
        )  # fmt: skip

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture
def private_postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.create()
    server.start()
    try:
        yield server
    finally:
        if server.running():
            server.stop(mode="immediate")
        shutil.rmtree(server.root, ignore_errors=True)
