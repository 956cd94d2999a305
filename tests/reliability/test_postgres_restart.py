"""PostgreSQL restarts under load: gunicorn serves the app from a private cluster, threads send
requests, the cluster is stopped (fast: every connection cut) and started again. During the
outage a page answers a clean 503 page and the API a JSON error, with no trace and no SQL; after
it the same gunicorn serves again within seconds, without a restart."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from tests.celery_worker import ROOT, _redis_url, _test_database_url
from tests.reliability.conftest import PostgresServer, free_port, wait_until

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
from rest_framework.authtoken.models import Token
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
print(session.session_key, Token.objects.create(user=user).key)
"""


def test_the_app_answers_cleanly_while_postgres_restarts_and_recovers_by_itself(
    private_postgres, tmp_path
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
    log = (tmp_path / "gunicorn.log").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "program.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    targets = {
        "page": (f"{base}/cases/", {"Cookie": f"sessionid={session_key}"}),
        "api": (f"{base}/api/v1/transfer-cases/", {"Authorization": f"Token {token}"}),
    }
    try:
        wait_until(
            lambda: _reachable(targets["page"]), timeout=60, what="gunicorn to serve the app"
        )
        answers = _under_load(targets, private_postgres)
    finally:
        app.terminate()
        app.wait(timeout=30)
        log.close()
    down_at, up_at = answers.pop(0).at, answers.pop(0).at
    _check(answers, down_at, up_at, (tmp_path / "gunicorn.log").read_text())


def _reachable(target: tuple[str, dict[str, str]]) -> bool:
    try:
        return _get(*target)[0] == 200
    except OSError:
        return False


def _under_load(
    targets: dict[str, tuple[str, dict[str, str]]], postgres: PostgresServer
) -> list[Answer]:
    """Four threads send requests while the cluster stops and starts; returns two markers (the
    stop and the start) followed by every answer, timed from the start of the load."""
    answers: list[Answer] = []
    stop = threading.Event()
    started = time.monotonic()

    def load(kind: str) -> None:
        url, headers = targets[kind]
        for _request in range(2000):  # bounded: about 20 a second for at most ~40 s
            if stop.is_set():
                return
            at = time.monotonic() - started
            try:
                status, body, content_type = _get(url, headers)
            except OSError as error:  # the server closed the connection without an answer
                status, body, content_type = 0, type(error).__name__, ""
            ended = time.monotonic() - started
            answers.append(Answer(at, ended, kind, status, body, content_type))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(kind,)) for kind in ("page", "api") * 2]
    for thread in threads:
        thread.start()
    time.sleep(2)
    down_at = time.monotonic() - started
    postgres.stop(mode="fast")
    time.sleep(OUTAGE_SECONDS)
    postgres.start()
    up_at = time.monotonic() - started
    time.sleep(RECOVERY_BUDGET_SECONDS + 2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    markers = [Answer(at, at, "marker", 0, "", "") for at in (down_at, up_at)]
    return markers + sorted(answers, key=lambda answer: answer.at)


def _check(answers: list[Answer], down_at: float, up_at: float, server_log: str) -> None:
    assert {answer.status for answer in answers} <= {200, 503}, sorted(
        {(answer.kind, answer.status) for answer in answers}
    )
    before = [(a.kind, a.status, a.body[:300]) for a in answers if a.ended < down_at]
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
    # Recovered: the first moment after which every answer, page and API, is a success.
    last_failure = max(answer.at for answer in failed)
    after = [answer for answer in answers if answer.at > last_failure]
    recovery = max(0.0, min(answer.ended for answer in after) - up_at)
    assert {answer.kind for answer in after} == {"page", "api"}
    assert all(answer.status == 200 for answer in after)
    assert recovery < RECOVERY_BUDGET_SECONDS, f"served again only {recovery:.1f} s after restart"
    during = [answer for answer in answers if down_at + 0.5 < answer.at and answer.ended < up_at]
    assert during
    assert all(answer.status == 503 for answer in during)
    assert "Traceback" not in "".join(answer.body for answer in answers)
    print(
        f"postgres drill: {len(answers)} requests, {len(failed)} answered 503 during a "
        f"{OUTAGE_SECONDS} s outage ({sum(a.kind == 'page' for a in failed)} pages, "
        f"{sum(a.kind == 'api' for a in failed)} API); serving again {recovery:.2f} s after "
        f"PostgreSQL was back; gunicorn log {len(server_log.splitlines())} lines"
    )
