"""A migrated template of the test database, so that a test run clones it instead of migrating.

Migrating an empty database costs about 90 s of one core: Django re-renders its model state for
each of some thousand migration operations. Each of the suite's parallel workers needs a test
database of its own, so every fresh run paid that twice. `make test` builds one template while
the lint, type and security checks run (they use one core and leave the other free); each worker
then copies it with CREATE DATABASE ... TEMPLATE, which takes seconds, and Django's own set-up
finds it migrated (`migrate` on it applies nothing).

The template carries a key, a hash of every migration file and of the locked dependencies, as
its database comment. A template whose key does not match the checkout is never copied: the run
migrates its own databases as before. So the template can make a run faster, never different.
"""

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
APPS = ("program", "transfers", "finance")


def migrations_key() -> str:
    """The hash of every migration file of the apps and of requirements.lock (the migrations of
    the libraries, such as Django's own, come with their pinned versions)."""
    digest = hashlib.sha256()
    files = sorted(path for app in APPS for path in (ROOT / app).rglob("migrations/*.py"))
    for path in [*files, ROOT / "requirements.lock"]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def template_name(test_name: str) -> str:
    """The template beside a test database; a parallel worker's suffix (`_gw0`) is dropped, so
    every worker copies the same one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{test_name.removesuffix(f'_{worker}') if worker else test_name}_template"


def _server() -> psycopg.Connection[Any]:
    """A connection to the server's maintenance database, outside any transaction (CREATE and
    DROP DATABASE cannot run inside one)."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        autocommit=True,
    )


def _key_of(server: psycopg.Connection[Any], name: str) -> str | None:
    row = server.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    return row[0] if row else None


def _exists(server: psycopg.Connection[Any], name: str) -> bool:
    return (
        server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        is not None
    )


def _drop(server: psycopg.Connection[Any], name: str) -> None:
    server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def build_template() -> str:
    """Build (or keep, when its key matches) the template of the configured test database.

    It is migrated under another name and renamed only when complete, so a run that copies it
    never finds half a template. Call before any database connection is opened."""
    key = migrations_key()
    name = template_name(settings.DATABASES["default"]["TEST"]["NAME"])
    building = f"{name}_building"
    with _server() as server:
        if _key_of(server, name) == key:
            return f"{name} is up to date"
        _drop(server, building)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    settings.DATABASES["default"]["NAME"] = building
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()
    with _server() as server:
        server.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(building), sql.Literal(key)
            )
        )
        _drop(server, name)
        server.execute(
            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(building), sql.Identifier(name)
            )
        )
    return f"{name} migrated in {time.monotonic() - started:.0f} s"


def copy_template(test_name: str, *, replace: bool) -> bool:
    """Make `test_name` a copy of the template, if the template's key matches this checkout and
    the test database is missing (or `replace`, for --create-db). True when it was copied."""
    name = template_name(test_name)
    with _server() as server:
        if _key_of(server, name) != migrations_key():
            return False
        if _exists(server, test_name) and not replace:
            return False
        _drop(server, test_name)
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(test_name), sql.Identifier(name)
        )
        for attempt in range(10):
            try:
                server.execute(create)
                return True
            except psycopg.errors.ObjectInUse:
                # Another worker is copying the same template this instant; PostgreSQL copies
                # one at a time from a template that is in use.
                time.sleep(0.5 * (attempt + 1))
    return False
