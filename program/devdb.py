"""The private PostgreSQL cluster under var/ that development and tests use without DATABASE_URL.

It is made with the machine's own PostgreSQL binaries and listens only on a Unix socket inside var/,
so it never clashes with a PostgreSQL server already on the machine. As root, the server runs as the
`postgres` user (PostgreSQL refuses to run as root).

    python -m program.devdb start | stop | status | url

Every failure is one line that says what is wrong and what to do; the cluster is first built in a
temporary folder and renamed into place, so an interrupted start never leaves half a cluster behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

DATABASE_NAME = "program"
PG_LIB_ROOT = Path("/usr/lib/postgresql")  # where Debian keeps each server version's programs
PORT = 54329  # only names the socket file; the cluster opens no TCP port
_SOCKET_PATH_LIMIT = 100  # Unix socket paths are limited to about 107 bytes


class DevDbError(RuntimeError):
    """A problem a person can fix; the message says how."""


@dataclass(frozen=True)
class Cluster:
    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @property
    def socket_dir(self) -> Path:
        preferred = self.root / "run"
        if len(str(preferred / f".s.PGSQL.{PORT}")) <= _SOCKET_PATH_LIMIT:
            return preferred
        # A deep checkout would overflow the socket path; keep a short, per-checkout folder instead.
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"rented-cells-pg-{digest}"


def cluster_for(var_dir: Path) -> Cluster:
    return Cluster(root=var_dir / "postgres")


def private_cluster_url(var_dir: Path) -> str:
    """The DATABASE_URL of the private cluster; computing it has no side effects."""
    socket_dir = cluster_for(var_dir).socket_dir
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}:{PORT}/{DATABASE_NAME}"


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(PG_LIB_ROOT.glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise DevDbError(
        f"PostgreSQL's server programs ({name}) are not installed. Install them "
        "(Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql@15`) "
        "or set DATABASE_URL to a PostgreSQL server you already run."
    )


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser is None:
        raise DevDbError(
            "Running as root needs `runuser` (package util-linux) to start PostgreSQL."
        )
    return [runuser, "-u", "postgres", "--", *argv]


def _run(argv: list[str], *, what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(_as_server_user(argv), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit code {result.returncode}"
        raise DevDbError(f"{what} failed: {last}")
    return result


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


def _check_reachable_by_server_user(path: Path) -> None:
    if os.geteuid() != 0:
        return
    probe = subprocess.run(_as_server_user(["test", "-w", str(path)]), check=False)
    if probe.returncode != 0:
        raise DevDbError(
            f"The postgres user cannot reach {path}: a folder above it is closed to other users. "
            "Clone the project under a folder others may enter (for example /srv or /work), "
            "or set DATABASE_URL to a PostgreSQL server you already run."
        )


def _server_version(pg_ctl: str) -> str:
    out = subprocess.run([pg_ctl, "--version"], capture_output=True, text=True, check=True).stdout
    return out.strip().split()[-1].split(".")[0]


def _initialise(cluster: Cluster) -> None:
    cluster.root.mkdir(parents=True, exist_ok=True)
    _give_to_server_user(cluster.root)
    _check_reachable_by_server_user(cluster.root)
    version_file = cluster.data_dir / "PG_VERSION"
    if version_file.exists():
        wanted = _server_version(_pg_bin("pg_ctl"))
        found = version_file.read_text().strip()
        if found != wanted:
            raise DevDbError(
                f"{cluster.data_dir} was made by PostgreSQL {found}, but this machine has "
                f"{wanted}. Remove it (`rm -rf {cluster.root}`) to start afresh; it holds only "
                "development data."
            )
        return
    if cluster.data_dir.exists():
        # A data folder without PG_VERSION is what an interrupted initdb leaves; nothing to keep.
        shutil.rmtree(cluster.data_dir)
    building = cluster.root / "data.building"
    if building.exists():
        shutil.rmtree(building)
    _run(
        [
            _pg_bin("initdb"),
            "--pgdata",
            str(building),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ],
        what="Creating the private PostgreSQL cluster (initdb)",
    )
    building.rename(cluster.data_dir)


def _is_running(cluster: Cluster) -> bool:
    if not (cluster.data_dir / "PG_VERSION").exists():
        return False
    status = subprocess.run(
        _as_server_user([_pg_bin("pg_ctl"), "status", "--pgdata", str(cluster.data_dir)]),
        capture_output=True,
        text=True,
        check=False,
    )
    return status.returncode == 0


def _connect_admin(cluster: Cluster) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=str(cluster.socket_dir),
        port=PORT,
        user="postgres",
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def start(var_dir: Path) -> Cluster:
    """Make the cluster if needed, start it if stopped, create the database if missing."""
    cluster = cluster_for(var_dir)
    for program in ("initdb", "pg_ctl"):
        _pg_bin(program)  # fail first, and clearly, when PostgreSQL is not installed
    _initialise(cluster)
    if not _is_running(cluster):
        cluster.socket_dir.mkdir(parents=True, exist_ok=True)
        _give_to_server_user(cluster.socket_dir)
        if not cluster.log_file.exists():
            cluster.log_file.touch()
        _give_to_server_user(cluster.log_file)
        options = (
            f"-c listen_addresses='' -k {cluster.socket_dir} -p {PORT} -c synchronous_commit=off"
        )
        try:
            _run(
                [
                    _pg_bin("pg_ctl"),
                    "start",
                    "--wait",
                    "--timeout",
                    "60",
                    "--pgdata",
                    str(cluster.data_dir),
                    "--log",
                    str(cluster.log_file),
                    "-o",
                    options,
                ],
                what="Starting the private PostgreSQL cluster",
            )
        except DevDbError as error:
            raise DevDbError(
                f"{error}. See {cluster.log_file} for the server's own words."
            ) from None
    _create_database(cluster)
    return cluster


def _create_database(cluster: Cluster) -> None:
    for attempt in range(40):
        try:
            conn = _connect_admin(cluster)
            break
        except psycopg.OperationalError:
            if attempt == 39:
                raise DevDbError(
                    f"The private cluster started but does not answer on {cluster.socket_dir}. "
                    f"See {cluster.log_file}."
                ) from None
            time.sleep(0.25)
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop(var_dir: Path) -> None:
    cluster = cluster_for(var_dir)
    if _is_running(cluster):
        _run(
            [
                _pg_bin("pg_ctl"),
                "stop",
                "--wait",
                "--mode",
                "fast",
                "--pgdata",
                str(cluster.data_dir),
            ],
            what="Stopping the private PostgreSQL cluster",
        )


def main(argv: list[str]) -> int:
    from program.env import env_path

    var_dir = env_path("VAR_DIR", Path(__file__).resolve().parent.parent / "var")
    command = argv[1] if len(argv) > 1 else "status"
    try:
        if command == "start":
            cluster = start(var_dir)
            print(f"PostgreSQL: private cluster in {cluster.root} is running.")
        elif command == "stop":
            stop(var_dir)
            print("PostgreSQL: private cluster stopped.")
        elif command == "status":
            running = _is_running(cluster_for(var_dir))
            print("running" if running else "stopped")
            return 0 if running else 3
        elif command == "url":
            print(private_cluster_url(var_dir))
        else:
            print(f"Unknown command {command!r}; use start, stop, status or url.", file=sys.stderr)
            return 2
    except DevDbError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
