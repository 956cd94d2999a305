"""`make run` fails with one clear message, never a traceback."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from program import devdb

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
