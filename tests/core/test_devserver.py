"""`make run` fails with one clear message, never a traceback."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from program import devdb
from program.devserver import web_process

ROOT = Path(__file__).resolve().parents[2]


def _devserver(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "program.devserver"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_port_in_use_is_named_with_a_way_out() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _devserver(PORT=str(port))
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stdout
    assert f"make run PORT={port + 1}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unreachable_database_url_is_named_without_its_password() -> None:
    result = _devserver(PORT="0", DATABASE_URL="postgresql://app:s3cret@127.0.0.1:1/program")
    assert result.returncode == 1
    assert "Cannot reach the database in DATABASE_URL (127.0.0.1:1/program)" in result.stdout
    assert "s3cret" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_postgresql_binaries_name_the_package(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(devdb, "PG_LIB_ROOT", tmp_path)
    with pytest.raises(devdb.DevDbError, match="apt-get install postgresql"):
        devdb.start(tmp_path / "var")


def test_a_cluster_from_another_postgresql_version_is_named_with_a_way_out() -> None:
    # A folder others may enter, as the server's own user must reach it.
    var = Path(tempfile.mkdtemp(prefix="devdb-test-"))
    try:
        var.chmod(0o755)
        data = devdb.cluster_for(var).data_dir
        data.mkdir(parents=True)
        (data / "PG_VERSION").write_text("9\n")
        with pytest.raises(devdb.DevDbError, match=r"was made by PostgreSQL 9.*rm -rf"):
            devdb.start(var)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def test_the_private_cluster_url_points_at_its_socket(tmp_path) -> None:
    url = devdb.private_cluster_url(tmp_path)
    assert url.startswith("postgresql://postgres@")
    assert url.endswith(f":{devdb.PORT}/program")


def test_the_development_web_server_keeps_no_connection_open() -> None:
    """Its settings, as the web process gets them, hold no connection past a request."""
    argv, env = web_process("127.0.0.1", 8000)
    assert argv[-3:] == ["runserver", "--noreload", "127.0.0.1:8000"]
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "program.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "0"


def _connections_after_requests(conn_max_age: str, requests: int) -> int:
    """Start the development server as `make run` does, send `requests` requests one after the
    other, and count the database connections it still holds (by their application name)."""
    from django.conf import settings
    from django.db import connection

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    name = f"devserver-test-{os.getpid()}-{conn_max_age}"
    database = settings.DATABASES["default"]
    url = (
        f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        f"?application_name={name}"
    )
    argv, env = web_process("127.0.0.1", port)
    env = {**env, "DATABASE_URL": url, "DB_CONN_MAX_AGE": conn_max_age, "DJANGO_ENV": "test"}
    server = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):  # up to 20 s for the server to listen
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(requests):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
        time.sleep(1)  # the request threads have ended
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [name]
            )
            return int(cursor.fetchone()[0])
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db
def test_the_development_server_holds_no_connection_after_many_requests() -> None:
    # What the server did before (DB_CONN_MAX_AGE 60): each request's thread ends and leaves its
    # connection open until the garbage collector happens to close it, so idle ones pile up.
    leaked = _connections_after_requests("60", 20)
    # As `make run` starts it now: none left once the requests are answered.
    kept = _connections_after_requests("0", 20)
    print(f"connections after 20 requests: {leaked} before, {kept} now")
    assert leaked > 0
    assert kept == 0
