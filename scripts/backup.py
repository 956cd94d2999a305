"""Back up the app database to a custom-format dump, and restore a dump into a fresh database.

    python scripts/backup.py backup [--dir var/backups]
    python scripts/backup.py restore DUMP --into NAME [--replace]

The database is DATABASE_URL, or the private development cluster under var/ when it is not set
(the same rule as program/settings.py). A restore goes into a new database on the same server,
named by the person who asks for it; an existing database is replaced only with --replace, and
the live database itself only when --into names it and --replace is given too.

pg_dump refuses a server newer than itself, so the programs are chosen to match the server's
major version (Debian keeps one set per version under /usr/lib/postgresql/N/bin).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from program import devdb  # noqa: E402 - the repository root is put on the path just above

PG_LIB_ROOT = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """A problem a person can fix; the message says how."""


def live_database_url() -> str:
    var_dir = Path(os.environ.get("VAR_DIR") or ROOT / "var")
    return os.environ.get("DATABASE_URL") or devdb.private_cluster_url(var_dir)


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    return urlsplit(url)._replace(path="/" + name).geturl()


def server_major(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.info.server_version // 10000
    except psycopg.OperationalError as error:
        raise BackupError(
            f"Cannot reach the database ({error}). Start it (`make db`) or set DATABASE_URL."
        ) from error


def pg_program(name: str, major: int) -> str:
    """pg_dump or pg_restore of the server's major version, or a newer one from the PATH."""
    matching = PG_LIB_ROOT / str(major) / "bin" / name
    if matching.exists():
        return str(matching)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    out = subprocess.run(  # noqa: S603 - PostgreSQL's own program, found above
        [found, "--version"], capture_output=True, text=True, check=True
    ).stdout
    own_major = int(out.split()[-1].split(".")[0])
    if own_major < major:
        raise BackupError(
            f"{found} is version {own_major} but the server is {major}: install "
            f"postgresql-client-{major}."
        )
    return found


def backup(url: str, directory: Path) -> Path:
    """Write a custom-format dump (compressed; pg_restore can pick parts of it) and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"{stamp}.dump"
    partial = target.with_suffix(".dump.partial")
    pg_dump = pg_program("pg_dump", server_major(url))
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own program, no shell
        [pg_dump, "--format=custom", "--no-owner", "--file", str(partial), "--dbname", url],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(target)  # a dump under its final name is always complete
    return target


def restore(dump: Path, *, into: str, live_url: str, replace: bool = False) -> str:
    """Restore `dump` into a new database `into` on the live server; return that database's URL."""
    if not dump.is_file():
        raise BackupError(f"No dump at {dump}.")
    if not into or into.startswith("pg_") or into in {"postgres", "template0", "template1"}:
        raise BackupError(f"Choose another name for the restored database than {into!r}.")
    target_url = with_database(live_url, into)
    major = server_major(live_url)
    with psycopg.connect(with_database(live_url, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [into]).fetchone()
        if exists and not replace:
            raise BackupError(
                f"A database named {into!r} exists. Name a new one, or add --replace to drop it"
                + (" (it is the live database)." if into == database_name(live_url) else ".")
            )
        if exists:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(into)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(into)))
    result = subprocess.run(  # noqa: S603 - PostgreSQL's own program, no shell
        [
            pg_program("pg_restore", major),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            target_url,
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return target_url


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the app database")
    make.add_argument("--dir", type=Path, default=ROOT / "var" / "backups")
    back = commands.add_parser("restore", help="restore a dump into a fresh database")
    back.add_argument("dump", type=Path)
    back.add_argument("--into", required=True, help="name of the database to create")
    back.add_argument("--replace", action="store_true", help="drop a database of that name first")
    args = parser.parse_args(argv)
    url = live_database_url()
    try:
        if args.command == "backup":
            print(backup(url, args.dir))
        else:
            restore(args.dump, into=args.into, live_url=url, replace=args.replace)
            print(f"Restored {args.dump} into the database {args.into!r}.")
            print(f"Use it with DATABASE_URL={with_database(url, args.into)}")
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
