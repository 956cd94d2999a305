"""PostgreSQL restarts under load: gunicorn serves the app from a private cluster, threads send
requests, the cluster is stopped (fast: every connection cut) and started again. During the
outage a page answers a clean 503 page and the API a JSON error, with no trace and no SQL; after
it the same gunicorn serves again within seconds, without a restart.

The outage is timed as it happened, not as it was asked for: it begins when the postmaster has
exited and its port refuses connections, and ends when PostgreSQL logs that it is ready. (Timed
from the return of `pg_ctl start`, it also took in the tens of milliseconds in which the server
was already serving again, and a quick 200 there failed the drill.)"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.celery_worker import ROOT, _redis_url, _test_database_url
from tests.reliability.conftest import (
    Cleanup,
    PostgresServer,
    free_port,
    port_refuses,
    process_gone,
    stop_group,
    wait_until,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

SECRET_KEY = "drill-only-" + "k" * 50
OUTAGE_SECONDS = 4
RECOVERY_BUDGET_SECONDS = 10
# Words a failure page must never show: a trace, SQL or the driver's own words.
LEAKS = ("Traceback", "SELECT ", "FROM ", "psycopg", "OperationalError", "connection to server")


@dataclass(frozen=True)
class Answer:
    at: float  # sent, in seconds from the start of the load
    ended: float  # answered
    kind: str  # "page" or "api"
    status: int
    body: str
    content_type: str


def _get(url: str, headers: dict[str, str]) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.status, response.read().decode(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Content-Type", "")


def _app_env(postgres: PostgresServer) -> dict[str, str]:
    return {
        **os.environ,
        # Production's settings but for its static files storage, whose manifest would need a
        # collectstatic of minutes; DEBUG off, as in production.
        "DJANGO_ENV": "test",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": postgres.url(),
        "CELERY_BROKER_URL": _redis_url(),
        "DB_CONNECT_TIMEOUT": "2",
    }


def _copy_schema(postgres: PostgresServer) -> None:
    """The test database's schema and reference data, copied into the private cluster (faster
    than running every migration again)."""
    subprocess.run(["createdb", "--host", "127.0.0.1", "--port", str(postgres.port),
                    "--username", "postgres", "program"], check=True)  # fmt: skip
    dump = subprocess.run(
        ["pg_dump", "--format", "custom", "--no-owner", _test_database_url()],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--dbname", postgres.url()], input=dump.stdout, check=True
    )


SIGN_IN = """
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from program.tokens.services import api_token_create
from program.core.roles import Role, roles_sync
from django.contrib.auth import get_user_model
import time
roles_sync()
user = get_user_model().objects.create_user("drill", password=None)
user.groups.add(Group.objects.get(name=Role.CASEWORKER))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, api_token_create(user=user, name="drill", days=1, actor=user)[1])
"""


def test_the_app_answers_cleanly_while_postgres_restarts_and_recovers_by_itself(
    private_postgres, drill_dir
) -> None:
    _copy_schema(private_postgres)
    env = _app_env(private_postgres)
    manage = [sys.executable, "manage.py"]
    signed_in = subprocess.run(
        [*manage, "shell", "-c", SIGN_IN], cwd=ROOT, env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    session_key, token = signed_in.stdout.split()[-2:]
    port = free_port()
    log_path = drill_dir / "gunicorn.log"
    with log_path.open("wb") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "program.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "30",
             "--config", "python:tests.reliability.gunicorn_warm"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    stop_app = Cleanup(lambda: stop_group(app, grace=30))
    base = f"http://127.0.0.1:{port}"
    targets = {
        "page": (f"{base}/cases/", {"Cookie": f"sessionid={session_key}"}),
        "api": (f"{base}/api/v1/transfer-cases/", {"Authorization": f"Token {token}"}),
    }
    try:
        wait_until(
            lambda: _reachable(targets["page"]), timeout=60, what="gunicorn to serve the app"
        )
        outage, answers = _under_load(targets, private_postgres)
    finally:
        stop_app()
    _check(outage, answers, log_path.read_text(errors="replace"), private_postgres)


def _reachable(target: tuple[str, dict[str, str]]) -> bool:
    try:
        return _get(*target)[0] == 200
    except OSError:
        return False


@dataclass(frozen=True)
class Outage:
    """The moments of the fault, in seconds from the start of the load, as they happened rather
    than as they were asked for: every answer must be a 503 from `down` (observed: the
    postmaster is gone and its port refuses connections) to `ready` (the server's own log line,
    to the millisecond), and recovery is counted from `ready`."""

    stop_asked: float
    down: float  # the postmaster process gone and its port refusing connections
    stop_returned: float  # pg_ctl stop returned
    start_asked: float
    ready: float  # PostgreSQL logged "ready to accept connections"
    start_returned: float  # pg_ctl start returned


def _under_load(
    targets: dict[str, tuple[str, dict[str, str]]], postgres: PostgresServer
) -> tuple[Outage, list[Answer]]:
    """Four threads send requests while the cluster stops and starts; returns the outage's
    moments and every answer, timed from the start of the load."""
    answers: list[Answer] = []
    stop = threading.Event()
    started = time.monotonic()
    started_wall = time.time()

    def now() -> float:
        return time.monotonic() - started

    def load(kind: str) -> None:
        url, headers = targets[kind]
        for _request in range(2000):  # bounded: about 20 a second for at most ~40 s
            if stop.is_set():
                return
            at = now()
            try:
                status, body, content_type = _get(url, headers)
            except OSError as error:  # the server closed the connection without an answer
                status, body, content_type = 0, type(error).__name__, ""
            answers.append(Answer(at, now(), kind, status, body, content_type))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(kind,)) for kind in ("page", "api") * 2]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        postmaster = postgres.postmaster_pid()
        stop_asked = now()
        with ThreadPoolExecutor(max_workers=1) as pool:
            stopping = pool.submit(postgres.stop, mode="fast")
            # The fault is in effect once the server is gone, not when its stop was asked for
            # (pg_ctl, runuser and a fast shutdown take a while on a busy machine). The port is
            # tried only once the process is gone: a connection made during the shutdown
            # would be one more child for the postmaster to wait for.
            wait_until(
                lambda: process_gone(postmaster) and port_refuses(postgres.port),
                timeout=60,
                what="PostgreSQL to stop",
                every=0.01,
            )
            down = now()
            stopping.result()
        stop_returned = now()
        time.sleep(max(0.0, OUTAGE_SECONDS - (now() - down)))  # down this long, from `down`
        start_asked = now()
        postgres.start()
        start_returned = now()
        ready_logged = postgres.logged_at(PostgresServer.READY)
        assert ready_logged, f"no {PostgresServer.READY!r} in {postgres.log}"
        ready = max(ready_logged) - started_wall
        time.sleep(RECOVERY_BUDGET_SECONDS + 2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    outage = Outage(stop_asked, down, stop_returned, start_asked, ready, start_returned)
    return outage, sorted(answers, key=lambda answer: answer.at)


def _timeline(outage: Outage, answers: list[Answer], postgres: PostgresServer) -> str:
    """The outage's moments and the answers around them, for a failure's message."""
    lines = [f"{name}: {at:.3f}" for name, at in vars(outage).items()]
    lines += [
        f"sent {a.at:.3f} answered {a.ended:.3f} {a.kind} {a.status}"
        for a in answers
        if outage.stop_asked - 0.5 < a.ended and a.at < outage.start_returned + 0.5
    ]
    lines += postgres.log.read_text(errors="replace").splitlines()[-40:]
    return "\n".join(lines)


def _check(
    outage: Outage, answers: list[Answer], server_log: str, postgres: PostgresServer
) -> None:
    assert {answer.status for answer in answers} <= {200, 503}, sorted(
        {(answer.kind, answer.status) for answer in answers}
    )
    before = [(a.kind, a.status, a.body[:300]) for a in answers if a.ended < outage.stop_asked]
    assert all(status == 200 for _kind, status, _body in before), (
        [item for item in before if item[1] != 200][:2],
        server_log[-3000:],
    )
    failed = [answer for answer in answers if answer.status == 503]
    assert {answer.kind for answer in failed} == {"page", "api"}, "the outage was not seen"
    for answer in failed:
        assert not any(leak in answer.body for leak in LEAKS), answer.body[:500]
        if answer.kind == "page":
            assert answer.content_type.startswith("text/html")
            assert "briefly unavailable" in answer.body
        else:
            assert answer.content_type.startswith("application/json")
            assert json.loads(answer.body)["error"]["code"] == "unavailable"
    # Every request sent once the server was gone and answered before it was ready again was
    # answered without a database: each must be a 503, pages and API alike.
    during = [a for a in answers if outage.down < a.at and a.ended < outage.ready]
    assert {answer.kind for answer in during} == {"page", "api"}, _timeline(
        outage, answers, postgres
    )
    served = [answer for answer in during if answer.status != 503]
    assert not served, _timeline(outage, answers, postgres)
    # Recovered: the first moment after which every answer, page and API, is a success,
    # counted from the moment PostgreSQL was ready again.
    last_failure = max(answer.at for answer in failed)
    after = [answer for answer in answers if answer.at > last_failure]
    recovery = max(0.0, min(answer.ended for answer in after) - outage.ready)
    assert {answer.kind for answer in after} == {"page", "api"}
    assert all(answer.status == 200 for answer in after)
    assert recovery < RECOVERY_BUDGET_SECONDS, f"served again only {recovery:.1f} s after restart"
    assert "Traceback" not in "".join(answer.body for answer in answers)
    print(
        f"postgres drill: {len(answers)} requests, {len(failed)} answered 503 "
        f"({sum(a.kind == 'page' for a in failed)} pages, "
        f"{sum(a.kind == 'api' for a in failed)} API); "
        f"server gone {outage.down - outage.stop_asked:.2f} s after the stop was asked for "
        f"(pg_ctl returned after {outage.stop_returned - outage.stop_asked:.2f} s); "
        f"{len(during)} requests in the {outage.ready - outage.down:.2f} s outage, all 503; "
        f"ready {outage.ready - outage.start_asked:.2f} s after the start was asked for "
        f"(pg_ctl returned after {outage.start_returned - outage.start_asked:.2f} s); "
        f"serving again {recovery:.2f} s after PostgreSQL was ready; slowest answer "
        f"{max(a.ended - a.at for a in answers):.2f} s; "
        f"gunicorn log {len(server_log.splitlines())} lines"
    )
