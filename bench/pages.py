"""Server time and query count of the busiest pages on whatever database DATABASE_URL names.

    DATABASE_URL=postgresql://…/demo python bench/pages.py [runs]

Each page is fetched once to warm up, then `runs` times (default 30) through Django's test client
in this process (no network), signed in as the demo user whose role the page is for. Prints the
median and 95th percentile in milliseconds and the number of SQL queries per request.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "program.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    ("occupancy_admin", "/programme/occupancy/", "occupancy dashboard"),
    ("occupancy_admin", "/api/v1/occupancy/", "occupancy API (last year)"),
    ("caseworker", "/inmates/", "inmate list"),
    ("caseworker", "/inmates/?search=Benali", "inmate list, name search"),
    ("caseworker", "/api/v1/inmates/", "inmate API list"),
    ("caseworker", "/cases/", "transfer worklist"),
    ("occupancy_admin", "/programme/units/1/", "unit view (unit A)"),
    ("finance_officer", "/finance/", "finance dashboard"),
]


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    client.get(url)
    times = []
    queries = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
        status = response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries, status


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    setup_test_environment()
    clients: dict[str, Client] = {}
    print(f"{'page':<30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'status':>7}")
    for username, url, label in PAGES:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(get_user_model().objects.get(username=username))
        median, p95, queries, status = measure(clients[username], url, runs)
        print(f"{label:<30} {median:>10.1f} {p95:>8.1f} {queries:>8} {status:>7}")


if __name__ == "__main__":
    main()
