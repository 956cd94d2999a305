"""Fault drills: real processes (a Celery worker, Redis, PostgreSQL, gunicorn) that the test
starts, kills and starts again. Each server is private to the test, on a port of its own: the
machine's Redis on 6379 and PostgreSQL on 5432 are used by others and never stopped here.

Whatever a drill starts is stopped and whatever folder it makes is removed, when it passes and
when it fails: by the fixture's finalizer; by the same finalizer after Ctrl-C or SIGTERM (which a
drill turns into an interruption, so pytest tears down); and, when the process ends before a
finalizer could run (a second interruption, an internal error), by atexit. Every server runs in a
process group of its own, stopped as a group."""

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from program.celery import app as celery_app
from tests.celery_worker import ROOT, _redis_url, _test_database_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_refuses(port: int) -> bool:
    """Whether nothing listens on the loopback port any more (the connection is refused)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False  # a timeout: something is there, only slow


def process_gone(pid: int) -> bool:
    """Whether the process has exited. An exited process nobody has reaped yet (a zombie, such
    as a postmaster whose parent pg_ctl is gone) counts as gone: it serves nothing."""
    if Path("/proc/self/stat").exists():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return True
        return stat.rsplit(")", 1)[1].split()[0] == "Z"
    try:  # no /proc: whether the pid still exists
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_until(
    predicate: Callable[[], object], *, timeout: float, what: str, every: float = 0.05
) -> float:
    """Poll until predicate() is true; return the seconds it took, or fail naming `what`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout} s")


class Cleanup:
    """One clean-up action, run once: by a fixture's finalizer, or at interpreter exit when the
    finalizer never ran."""

    def __init__(self, action: Callable[[], None]) -> None:
        self._action = action
        self._lock = threading.Lock()
        self._done = False
        atexit.register(self)

    def __call__(self) -> None:
        with self._lock:
            if self._done:
                return
            self._done = True
        atexit.unregister(self)
        self._action()


def stop_group(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """SIGTERM to the process group a server was started in, SIGKILL after `grace` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # what is left of the group (children included)
    process.wait()


def temporary_folder(prefix: str) -> Path:
    """A folder removed at interpreter exit unless removed earlier."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@pytest.fixture(autouse=True)
def _interrupt_on_sigterm(request) -> Iterator[None]:
    """During a drill, SIGTERM (a CI timeout, `kill`) interrupts as Ctrl-C does: pytest runs
    every finalizer instead of dying with the drill's servers still running."""
    main = threading.current_thread() is threading.main_thread()
    if request.node.get_closest_marker("reliability") is None or not main:
        yield
        return

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def drill_dir() -> Iterator[Path]:
    """A temporary folder for a drill's files (logs, e-mails), gone after the drill."""
    path = temporary_folder("drill-")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class Worker:
    """`celery worker` (solo pool: the process that runs the task is the one killed) on a queue
    of its own, with late acknowledgement as configured in program/celery.py."""

    def __init__(self, *, broker_url: str, queue: str, env: dict[str, str], beat: bool) -> None:
        self.broker_url, self.queue, self.env, self.beat = broker_url, queue, env, beat
        self.process: subprocess.Popen[bytes] | None = None
        self.dir = temporary_folder("worker-")
        self.log_path = self.dir / "worker.log"
        self.cleanup = Cleanup(self._remove)

    def start(self) -> None:
        argv = [
            sys.executable, "-m", "celery", "-A", "program", "worker",
            "--pool", "solo", "--loglevel", "INFO", "--queues", self.queue,
            "--hostname", f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if self.beat:
            # Beat inside the worker with a file schedule, so the outbox relay ticks as deployed.
            argv += ["--beat", "--schedule", str(self.dir / "beat")]
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
        """SIGKILL to the worker's group, no warning: nothing runs in it after this (beat
        included); returns once the worker process is gone."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process, grace=15)
            self.process = None

    def _remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


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
        workers.append(worker)
        worker.start()
        return worker

    try:
        yield start
    finally:
        celery_app._pool = None
        for worker in workers:
            worker.stop()
            print(f"--- worker log {worker.log_path} ---\n{worker.log()[-6000:]}")
            worker.cleanup()


class RedisServer:
    """A private redis-server that keeps nothing on disk: stopped and started, it comes back
    empty, as a crashed Redis without persistence does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = temporary_folder("redis-drill-")
        self.process: subprocess.Popen[bytes] | None = None
        self.cleanup = Cleanup(self._remove)

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
        """SIGKILL, no shutdown save: whatever it held is gone. Returns once the process is gone
        and the port refuses connections."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
            wait_until(lambda: port_refuses(self.port), timeout=10, what="Redis's port to close")

    def _remove(self) -> None:
        if self.process is not None:
            stop_group(self.process, grace=0)
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def keys(self) -> int:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
            conn.sendall(b"DBSIZE\r\n")
            return int(conn.recv(64).strip().lstrip(b":"))


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


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
    importlib.import_module("transfers.migrations.0012_programme_texts").load(apps, None)
    importlib.import_module("transfers.migrations.0010_sentence_texts").load(apps, None)


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
    only). As root the server runs as `postgres`, as in program/devdb.py. Its log lines carry
    the time in UTC to the millisecond, so a drill can tell when the server really stopped and
    was ready again."""

    READY = "database system is ready to accept connections"

    def __init__(self) -> None:
        from program import devdb

        self._devdb = devdb
        self.port = free_port()
        self.root = temporary_folder("pg-drill-")
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.cleanup = Cleanup(self._remove)

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
        with (self.data / "postgresql.conf").open("a") as conf:
            # English messages, whatever the machine's locale: the drill looks for them.
            conf.write("log_line_prefix = '%m [%p] '\nlog_timezone = 'UTC'\nlc_messages = 'C'\n")

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

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def logged_at(self, message: str) -> list[float]:
        """When each log line with `message` was written (seconds since the epoch)."""
        times = []
        for line in self.log.read_text(errors="replace").splitlines():
            if message in line:
                # "2026-12-03 08:15:19.561 UTC [17661] LOG:  ..."
                times.append(datetime.fromisoformat(f"{line[:23]}+00:00").timestamp())
        return times

    def _remove(self) -> None:
        if self.running():
            pid = self.postmaster_pid()
            with contextlib.suppress(AssertionError):
                self.stop(mode="immediate")
            if not process_gone(pid):  # pg_ctl could not stop it: no server outlives the drill
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def private_postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.create()
        server.start()
        yield server
    finally:
        server.cleanup()
