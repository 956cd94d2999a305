"""Which database a benchmark runs on, making it, and knowing whether its seed is still current.

The bench database sits on the same server as DATABASE_URL (or the private development cluster)
and is named after its scale, `bench_<inmates>`, so the scales live side by side and a second run
at the same scale reuses what the first seeded. A marker table records the scale, the seed and a
hash of the seeding code; when any of them differs the database is dropped and seeded afresh (a
new migration only migrates it). Nothing here touches the application's own database.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
MARKER_TABLE = "bench_marker"


def server_url() -> str:
    """DATABASE_URL, or the private development cluster's URL (what `make db` starts)."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    # Loaded by its path, not imported as program.devdb: importing the `program` package sets up
    # Django, whose settings would read DATABASE_URL before the bench points it at bench_<scale>,
    # and the seeding would then write into the application's own database.
    spec = importlib.util.spec_from_file_location("_bench_devdb", ROOT / "program" / "devdb.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("program/devdb.py is missing: run from the project's root.")
    devdb = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = devdb  # dataclasses look their module up while the file runs
    spec.loader.exec_module(devdb)
    return str(devdb.private_cluster_url(ROOT / "var"))


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def bench_name(inmates: int) -> str:
    return f"bench_{inmates}"


def ensure_database(url: str, name: str) -> bool:
    """Create database `name` on the server of `url` if missing; True when it was created."""
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def drop_database(url: str, name: str) -> None:
    if not name.startswith("bench_"):
        raise ValueError(f"Refusing to drop {name!r}: only bench_* databases are scratch.")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def seed_fingerprint() -> str:
    """A hash of the seeding code: when it changes, the data it made is out of date.

    Migrations are not part of it: a run migrates the reused database first (an added index or
    column leaves the seeded rows valid), so a new migration does not cost a new seed.
    """
    return hashlib.sha256((ROOT / "bench" / "seed.py").read_bytes()).hexdigest()[:16]


def marker(url: str) -> tuple[int, int, str] | None:
    """(inmates, seed, seed code) the database was seeded with, or None if not (fully) seeded."""
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass(%s)", [MARKER_TABLE]).fetchone()
        if not found or found[0] is None:
            return None
        row = conn.execute(
            sql.SQL("SELECT inmates, seed, fingerprint FROM {}").format(
                sql.Identifier(MARKER_TABLE)
            )
        ).fetchone()
        return (int(row[0]), int(row[1]), str(row[2])) if row else None


def write_marker(cursor: object, *, inmates: int, seed: int, fingerprint: str) -> None:
    """Written last, in the seeding transaction: a half-seeded database has no marker."""
    execute = cursor.execute  # type: ignore[attr-defined]
    execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
        "(inmates integer, seed integer, fingerprint text, seeded_at timestamptz DEFAULT now())"
    )
    execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608 (constant table name)
    execute(
        f"INSERT INTO {MARKER_TABLE} (inmates, seed, fingerprint) VALUES (%s, %s, %s)",  # noqa: S608
        [inmates, seed, fingerprint],
    )
