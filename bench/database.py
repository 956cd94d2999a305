"""Which database a benchmark runs on, making it, and knowing whether its seed is still current.

The bench database sits on the same server as DATABASE_URL (or the private development cluster)
and is named after the application's database and the scale, `<app db>_bench_<inmates>`, so the
scales live side by side, a second run at the same scale reuses what the first seeded, and two
checkouts with their own app databases on one server never share (or drop) each other's. A marker
table records the scale, the seed and a hash of the seeding code; when any of them differs the
database is dropped and seeded afresh (a new migration only migrates it).

Ownership: the harness writes a comment on every database it creates (COMMENT ON DATABASE) naming
the checkout that created it, and it drops or reuses only a database whose comment names this
checkout. A database of that name without the comment (made by hand, or by another checkout
pointing at the same app database) is refused with a message, never dropped. While a run works on
a bench database it holds a PostgreSQL advisory lock on its name, so a second run on the same
database waits for nothing and stops at once instead of dropping it under the first.

Nothing here touches the application's own database.
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


BENCH_INFIX = "_bench_"
MAX_IDENTIFIER = 63  # PostgreSQL cuts longer names silently; two scales could then collide


class NotOurs(SystemExit):
    """A database the harness would have to drop or reuse, but did not create."""


def app_database(url: str) -> str:
    """The application's database name in `url` (its path), e.g. `program`."""
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit(f"DATABASE_URL names no database ({_without_password(url)}).")
    return name


def bench_name(inmates: int, url: str | None = None) -> str:
    """`<app db>_bench_<inmates>`, with BENCH_DATABASE_SUFFIX appended when it is set."""
    base = app_database(url or server_url())
    suffix = "".join(c for c in os.environ.get("BENCH_DATABASE_SUFFIX", "") if c.isalnum())
    name = f"{base}{BENCH_INFIX}{inmates}{'_' + suffix if suffix else ''}"
    if len(name.encode()) > MAX_IDENTIFIER:
        raise SystemExit(
            f"The bench database's name {name!r} is longer than PostgreSQL's {MAX_IDENTIFIER} "
            "bytes: use a shorter database name in DATABASE_URL or a shorter "
            "BENCH_DATABASE_SUFFIX."
        )
    return name


def is_bench_name(name: str) -> bool:
    return BENCH_INFIX in name and name.rsplit(BENCH_INFIX, 1)[1].split("_")[0].isdigit()


def owner_comment() -> str:
    """What the harness writes on a database it creates: this checkout's path names the owner."""
    return f"bench scratch database, created by the benchmark harness of {ROOT}"


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def comment_of(url: str, name: str) -> str | None:
    """The comment on database `name`, "" when it has none, None when it does not exist."""
    with _admin(url) as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
            "FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else str(row[0])


def check_ours(url: str, name: str) -> None:
    """Stop unless `name` is absent or was created by this checkout's harness."""
    comment = comment_of(url, name)
    if comment is None or comment == owner_comment():
        return
    raise NotOurs(
        f"Refusing to use or drop the database {name!r}: the benchmark harness of this checkout "
        f"({ROOT}) did not create it"
        + (f" (its comment: {comment!r})" if comment else " (it has no owner comment)")
        + ". Drop it yourself if it is scratch, or point DATABASE_URL at another app database, "
        "or set BENCH_DATABASE_SUFFIX to give this checkout a database of its own."
    )


def ensure_database(url: str, name: str) -> bool:
    """Create database `name` on the server of `url` if missing; True when it was created.

    An existing database is used only when this checkout's harness created it.
    """
    if not is_bench_name(name):
        raise ValueError(f"Refusing to create {name!r}: not a bench database name.")
    check_ours(url, name)
    with _admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(owner_comment())
            )
        )
        return True


def drop_database(url: str, name: str) -> None:
    """Drop a bench database this checkout's harness created; refuse any other."""
    if not is_bench_name(name):
        raise ValueError(f"Refusing to drop {name!r}: only <app db>_bench_<scale> are scratch.")
    check_ours(url, name)
    with _admin(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


_locks: dict[str, psycopg.Connection] = {}


def lock(url: str, name: str) -> None:
    """Hold, for the rest of this process, an advisory lock on the bench database's name.

    Taken before the database is dropped, seeded or measured: a second run on the same database
    stops at once with a message instead of dropping it in the middle of the first.
    """
    if name in _locks:
        return
    conn = _admin(url)
    row = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"bench:{name}"]).fetchone()
    if not row or not row[0]:
        conn.close()
        raise SystemExit(
            f"Another benchmark run is using {name!r} on this server; wait for it to finish."
        )
    _locks[name] = conn


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
