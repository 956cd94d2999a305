"""`make backup` then `make restore` gives back the same database: rows, constraints, triggers
and extensions. The demo programme is loaded (committed, so pg_dump sees it), dumped with
scripts/backup.py, restored into a fresh database, and the two are compared table by table."""

import io
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from program.core.demo import demo_load
from tests.celery_worker import ROOT, _test_database_url

SCRIPT = ROOT / "scripts" / "backup.py"

# md5 of every row in primary-key order (or of the whole row where a table has no key).
TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
CONSTRAINTS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2
"""
TRIGGERS = """
SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger
WHERE NOT tgisinternal ORDER BY 1, 2
"""
EXTENSIONS = "SELECT extname, extversion FROM pg_extension ORDER BY 1"
INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"


@dataclass
class Fingerprint:
    rows: dict[str, tuple[int, str]]  # table -> (row count, md5 of its rows in order)
    constraints: list[tuple[str, str, str]]
    triggers: list[tuple[str, str, str]]
    extensions: list[tuple[str, str]]
    indexes: list[tuple[str, str]]


def _canonical(definition: str) -> str:
    """A constraint's text without casts, brackets and spaces: PostgreSQL prints a restored
    `IN (...)` check with its casts in other places, though it means the same."""
    return re.sub(r"::[a-z ]+(\[\])?|[() ]", "", definition)


def _fingerprint(url: str) -> Fingerprint:
    with psycopg.connect(url) as db:
        tables = [str(row[0]) for row in db.execute(TABLES)]
        rows: dict[str, tuple[int, str]] = {}
        for table in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            count, digest = db.execute(query).fetchone() or (0, "")
            rows[table] = (int(count), str(digest))
        return Fingerprint(
            rows=rows,
            constraints=[
                (str(t), str(n), _canonical(str(d))) for t, n, d in db.execute(CONSTRAINTS)
            ],
            triggers=[(str(t), str(n), str(e)) for t, n, e in db.execute(TRIGGERS)],
            extensions=[(str(a), str(b)) for a, b in db.execute(EXTENSIONS)],
            indexes=[(str(a), str(b)) for a, b in db.execute(INDEXES)],
        )


def _run(*args: str, env_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": env_url},
        timeout=120,
    )


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    connection.close()
    url = _test_database_url()
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_equals_the_database_it_was_taken_from(
    tmp_path: Path, restored_name: str
) -> None:
    started = time.monotonic()
    demo_load(out=io.StringIO())
    loaded = time.monotonic()
    source_url = _test_database_url()

    made = _run("backup", "--dir", str(tmp_path), env_url=source_url)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == tmp_path
    assert dump.suffix == ".dump"
    assert dump.read_bytes()[:5] == b"PGDMP"  # the custom format

    back = _run("restore", str(dump), "--into", restored_name, env_url=source_url)
    assert back.returncode == 0, back.stderr

    restored = time.monotonic()
    source = _fingerprint(source_url)
    copy = _fingerprint(source_url.rsplit("/", 1)[0] + "/" + restored_name)
    differing = sorted(
        t for t in source.rows.keys() | copy.rows.keys() if source.rows.get(t) != copy.rows.get(t)
    )
    assert differing == [], f"tables that differ after restore: {differing}"
    assert source.constraints == copy.constraints
    assert source.triggers == copy.triggers
    assert source.extensions == copy.extensions
    assert source.indexes == copy.indexes
    counts = [count for count, _ in source.rows.values()]
    print(
        f"restore: {len(counts)} tables ({sum(1 for c in counts if c)} with rows, "
        f"{sum(counts)} rows) equal by count and md5; {len(source.constraints)} constraints, "
        f"{len(source.triggers)} triggers, {len(source.indexes)} indexes, extensions "
        f"{[name for name, _ in source.extensions]}; demo {loaded - started:.1f} s, "
        f"backup and restore {restored - loaded:.1f} s"
    )
    # The demo holds what the comparison is meant to protect: the exclusion constraints, the
    # history and append-only triggers, the btree_gist extension, and rows in the main tables.
    assert any("EXCLUDE" in definition for _, _, definition in source.constraints)
    assert len(source.triggers) > 10
    assert "btree_gist" in [name for name, _ in source.extensions]
    for table in ("inmates_inmate", "cells_placement", "transfers_transfercase", "finance_tranche"):
        assert source.rows[table][0] > 0, table


@pytest.mark.django_db
def test_restore_never_overwrites_an_existing_database_unasked(tmp_path: Path) -> None:
    live = connection.settings_dict["NAME"]
    dump = tmp_path / "any.dump"
    dump.write_bytes(b"PGDMP")
    refused = _run("restore", str(dump), "--into", live, env_url=_test_database_url())
    assert refused.returncode == 1
    assert f"A database named '{live}' exists" in refused.stderr
    assert "live database" in refused.stderr
