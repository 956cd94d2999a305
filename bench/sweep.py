"""The nightly eligibility sweep's time on the demo data and on 10,000 synthetic candidates,
and the transfer worklist's server time and query count on the demo data.

    psql postgresql://postgres@127.0.0.1:5432/postgres -c "CREATE DATABASE bench_sweep"
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_sweep python bench/sweep.py [n]

The database is a scratch one: it is migrated, the demo is loaded (if absent), and `n` (default
10,000) synthetic candidates are added once, each with a final fixed-term judgment and a final
expulsion order, so that every one is in the sweep's population. Each sweep is timed twice: the
first run stores every changed outcome, the second finds nothing changed (the nightly case).
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "program.settings")
os.environ.setdefault("DEBUG", "false")
if "bench" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Point DATABASE_URL at a scratch database whose name contains 'bench'.")

import django

django.setup()

import io  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from program.core.demo import demo_load  # noqa: E402
from program.inmates.models import Country, ExpulsionOrder, Inmate, Judgment  # noqa: E402
from transfers import selectors, services  # noqa: E402
from transfers.models import Screening  # noqa: E402

PREFIX = "BENCH-"
ORIGINS = ["RS", "AL", "MA", "TR", "NG", "GE", "PK", "VN", "UA", "PL"]  # PL: refused by E2


def timed(label: str, func: Callable[[], object]) -> float:
    started = time.perf_counter()
    result = func()
    took = time.perf_counter() - started
    print(f"  {label:<46} {took:>8.2f} s   ({result})")
    return took


def synthetic_candidates(n: int) -> None:
    """n candidates in bulk, deterministic; varied so the rules both pass and fail."""
    if Inmate.objects.filter(case_number__startswith=PREFIX).exists():
        return
    countries = Country.objects.in_bulk(ORIGINS)
    with transaction.atomic():
        inmates = Inmate.objects.bulk_create(
            [
                Inmate(
                    case_number=f"{PREFIX}{i:06d}",
                    name=f"Synthetic Candidate {i}",
                    date_of_birth=date(1960, 1, 1) + timedelta(days=(i * 37) % 15000),
                    sex=Inmate.Sex.MALE,
                    languages=["English"],
                    country_of_return=countries[ORIGINS[i % 9]],
                    return_readmits=["yes", "yes", "unknown", "no"][i % 4],
                    security_level=["low", "low", "medium", "high"][i % 4],
                    serious_mental_disorder=i % 41 == 0,
                    specialist_treatment=i % 23 == 0,
                    minor_children_visiting=i % 13 == 0,
                    home_institution="Vestre Prison",
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        through = Inmate.nationalities.through
        through.objects.bulk_create(
            [
                through(inmate_id=inmate.pk, country_id=ORIGINS[i % len(ORIGINS)])
                for i, inmate in enumerate(inmates)
            ],
            batch_size=5000,
        )
        Judgment.objects.bulk_create(
            [
                Judgment(
                    inmate=inmate,
                    court="Copenhagen City Court",
                    judgment_date=date(2024, 1, 1) + timedelta(days=i % 700),
                    final_on=None if i % 31 == 0 else date(2024, 2, 1) + timedelta(days=i % 700),
                    sentence_type="fixed_term",
                    length_days=[540, 730, 1095, 1825, 2920][i % 5],
                    remand_days=i % 90,
                    sentence_start=date(2024, 1, 1) + timedelta(days=i % 700),
                )
                for i, inmate in enumerate(inmates)
            ],
            batch_size=2000,
        )
        ExpulsionOrder.objects.bulk_create(
            [
                ExpulsionOrder(inmate=inmate, ordered_on=date(2024, 1, 1), final=True)
                for inmate in inmates
            ],
            batch_size=2000,
        )


def worklist(runs: int = 20) -> None:
    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="caseworker"))
    for url in ("/cases/", "/cases/?scope=mine&sort=deadline", "/cases/?q=KF-2026"):
        client.get(url)
        times, queries = [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        times.sort()
        print(
            f"  worklist {url:<36} median {statistics.median(times):6.1f} ms  "
            f"p95 {times[int(len(times) * 0.95) - 1]:6.1f} ms  {queries} queries  "
            f"HTTP {response.status_code}"
        )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    if not Inmate.objects.filter(case_number__startswith="KF-").exists():
        started = time.perf_counter()
        demo_load(out=io.StringIO())
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    Screening.objects.filter(case__isnull=True).delete()  # candidates start unscreened
    population = len(selectors.sweep_population(on=date.today()))  # noqa: DTZ011
    print(f"demo data: sweep population {population}")
    timed("sweep, demo data, first run", services.sweep_run)
    timed("sweep, demo data, rerun (nothing changed)", services.sweep_run)
    worklist()

    synthetic_candidates(n)
    population = len(selectors.sweep_population(on=date.today()))  # noqa: DTZ011
    print(f"with {n} synthetic candidates: sweep population {population}")
    Screening.objects.filter(inmate__case_number__startswith=PREFIX).delete()
    timed(f"sweep, demo + {n} candidates, first run", services.sweep_run)
    timed(f"sweep, demo + {n} candidates, rerun", services.sweep_run)


if __name__ == "__main__":
    main()
