"""The bench database is named after the app's database, and the harness drops or reuses only a
database its own checkout created (a comment on the database says which)."""

from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from bench import database


def _server_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}{password}@{host}/postgres"


def _exists(url: str, name: str) -> bool:
    with psycopg.connect(database.with_database(url, "postgres"), autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


@pytest.fixture
def scratch() -> Iterator[tuple[str, str]]:
    """A bench-style name no other test or checkout uses, dropped afterwards whoever made it."""
    url = _server_url()
    name = f"{settings.DATABASES['default']['NAME']}_bench_7"[:63]
    yield url, name
    with psycopg.connect(database.with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_the_name_follows_the_app_database(monkeypatch) -> None:
    monkeypatch.delenv("BENCH_DATABASE_SUFFIX", raising=False)
    url = "postgresql://postgres@127.0.0.1:5432/program_ops"
    assert database.bench_name(100_000, url) == "program_ops_bench_100000"
    monkeypatch.setenv("BENCH_DATABASE_SUFFIX", "mine!")
    assert database.bench_name(10_000, url) == "program_ops_bench_10000_mine"
    assert database.is_bench_name("program_ops_bench_10000_mine")
    assert not database.is_bench_name("program_ops")
    with pytest.raises(SystemExit, match="longer than"):
        database.bench_name(1, "postgresql://h/" + "x" * 60)


def test_it_creates_marks_and_drops_its_own(scratch) -> None:
    url, name = scratch
    assert database.ensure_database(url, name) is True
    assert database.comment_of(url, name) == database.owner_comment()
    assert database.ensure_database(url, name) is False  # reused, not made again
    database.drop_database(url, name)
    assert not _exists(url, name)


def test_it_refuses_a_database_it_did_not_create(scratch) -> None:
    url, name = scratch
    with psycopg.connect(database.with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal("bench scratch database, created by /elsewhere")
            )
        )
    with pytest.raises(database.NotOurs, match="did not create it"):
        database.drop_database(url, name)
    with pytest.raises(database.NotOurs):
        database.ensure_database(url, name)
    assert _exists(url, name)


def test_it_never_drops_a_name_that_is_not_a_bench_database() -> None:
    with pytest.raises(ValueError, match="Refusing to drop"):
        database.drop_database(_server_url(), "program_main")


def test_a_second_run_on_the_same_database_stops(scratch) -> None:
    url, name = scratch
    database.lock(url, name)
    try:
        other = psycopg.connect(database.with_database(url, "postgres"), autocommit=True)
        row = other.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", [f"bench:{name}"]
        ).fetchone()
        assert row == (False,)
        other.close()
    finally:
        database._locks.pop(name).close()
