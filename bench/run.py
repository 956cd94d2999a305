"""`make bench`: seed (or reuse) a bench database at a scale, measure, print and save the table.

    python -m bench.run [--scale 100000] [--runs 30] [--batch-runs 3]
    python -m bench.run --growth 10000,100000,300000

See the README's "Benchmark" section for how to read the table. Each scale runs in a process of
its own (Django binds its database at start-up); --growth runs them one after the other and then
prints how each figure grows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import database, report

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SCALE = 100_000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="inmates (0: demo only)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per page (after warm-up)")
    parser.add_argument(
        "--batch-runs", type=int, default=3, help="timed runs of the sweep and the import"
    )
    parser.add_argument("--growth", default="", help="comma-separated scales, e.g. 10000,100000")
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (if needed), measure nothing"
    )
    parser.add_argument(
        "--access-log-only",
        action="store_true",
        help="measure only the access log's cost on the inmate page",
    )
    return parser.parse_args(argv)


_bench_database = ""  # the bench database's name, set once before DATABASE_URL is repointed


def prepare_database(scale: int, *, reseed: bool) -> str:
    """The bench database's URL, created (and owned) here, stale seeds dropped."""
    global _bench_database
    server = database.server_url()
    name = database.bench_name(scale, server)
    url = database.with_database(server, name)
    database.lock(server, name)
    wanted = (scale, 1, database.seed_fingerprint())
    database.ensure_database(server, name)
    if reseed or database.marker(url) != wanted:
        database.drop_database(server, name)
        database.ensure_database(server, name)
    _bench_database = name
    os.environ["DATABASE_URL"] = url
    return url


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "program.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response.context, templates rendered as in tests
    from bench.targets import register_bench_admins

    register_bench_admins()  # before the URLconf is imported: the admin's URLs include them


def _refuse_other_databases() -> None:
    """The bench writes only into its own scratch database, never the application's."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if name != _bench_database or not database.is_bench_name(name):
        raise SystemExit(
            f"Refusing to run: Django is connected to {name!r}, not the bench database "
            f"{_bench_database!r} (its settings were read before the bench set DATABASE_URL)."
        )


def seed_if_needed(url: str, scale: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import seed as seeding

    if database.marker(url) is not None:
        call_command("migrate", verbosity=0)  # a no-op unless a migration came with the code
        return {}
    print(f"Seeding {_bench_database} ({scale:,} inmates)…", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings = seeding.seed(seeding.Scale(inmates=scale), out=sys.stdout)
    # The nightly sweep has run before: its first run stores every outcome (timed here, once).
    from transfers import services

    first = time.perf_counter()
    services.sweep_run()
    timings["first sweep (stores all)"] = time.perf_counter() - first
    print(f"  first sweep            {timings['first sweep (stores all)']:7.1f} s", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        database.write_marker(
            cursor, inmates=scale, seed=1, fingerprint=database.seed_fingerprint()
        )
        cursor.execute(
            "ALTER TABLE bench_marker ADD COLUMN IF NOT EXISTS seed_seconds jsonb; "
            "UPDATE bench_marker SET seed_seconds = %s",
            [json.dumps(timings)],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Seeded in {time.perf_counter() - started:.0f} s.", flush=True)
    return timings


def _seed_seconds() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_jsonb(m) -> 'seed_seconds' FROM bench_marker m LIMIT 1",
        )
        row = cursor.fetchone()
    value = row[0] if row else None
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value or {})


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
        pg = row[0] if row else "?"
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {pg}, load average at start {load[0]:.1f}"
    )


def run_scale(args: argparse.Namespace) -> dict[str, Any]:
    url = prepare_database(args.scale, reseed=args.reseed)
    _setup_django()
    _refuse_other_databases()
    seed_if_needed(url, args.scale)
    if args.seed_only:
        return {}
    from bench import scenarios

    started = datetime.now(UTC)
    if args.access_log_only:
        access = scenarios.access_log_only(url=url, runs=args.runs)
        print(report.access_log_line(access))
        return {}
    result = scenarios.measure_all(url=url, runs=args.runs, batch_runs=args.batch_runs)
    result.update(
        scale=args.scale,
        database=_bench_database,
        machine=machine(),
        started=started.isoformat(timespec="seconds"),
        seed_seconds=_seed_seconds(),
    )
    return result


def _save(result: dict[str, Any], stem: str, markdown: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, default=str))
    (RESULTS / f"{stem}.md").write_text(markdown)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.growth:
        scales = [int(part) for part in args.growth.split(",") if part.strip()]
        results = []
        for scale in scales:
            command = [sys.executable, "-m", "bench.run", "--scale", str(scale)]
            command += ["--runs", str(args.runs), "--batch-runs", str(args.batch_runs)]
            if args.reseed:
                command.append("--reseed")
            subprocess.run(command, check=True)  # noqa: S603 (our own module, our arguments)
            results.append(json.loads((RESULTS / f"bench_{scale}.json").read_text()))
        markdown = report.growth_markdown(results)
        _save({"scales": results}, "growth", markdown)
        print(markdown)
        return
    result = run_scale(args)
    if not result:
        return
    markdown = report.scale_markdown(result)
    _save(result, f"bench_{args.scale}", markdown)
    print(markdown)
    print(f"Saved {RESULTS / f'bench_{args.scale}.md'} and .json", flush=True)


if __name__ == "__main__":
    main()
