"""Timing one thing many times: median, 95th percentile and the SQL queries it sent."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

WARM_UP = 2


@dataclass(frozen=True)
class Figure:
    """Milliseconds over `runs` runs; queries is the most any run sent (None: not Django's)."""

    median_ms: float
    p95_ms: float
    runs: int
    queries: int | None = None
    status: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(times_ms: list[float], *, queries: int | None, status: int | None) -> Figure:
    ordered = sorted(times_ms)
    return Figure(
        median_ms=statistics.median(ordered),
        p95_ms=percentile(ordered, 0.95),
        runs=len(ordered),
        queries=queries,
        status=status,
    )


def time_django(func: Callable[[], Any], runs: int, *, warm_up: int = WARM_UP) -> Figure:
    """Time func() in this process, counting the queries Django sends for each call.

    `func` may return an HTTP response (its status is kept) or anything else.
    """
    for _ in range(warm_up):
        func()
    times: list[float] = []
    most_queries = 0
    status: int | None = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = func()
            times.append((time.perf_counter() - started) * 1000)
        most_queries = max(most_queries, len(captured.captured_queries))
        status = getattr(result, "status_code", status)
    return summarise(times, queries=most_queries, status=status)


def time_plain(func: Callable[[], Any], runs: int, *, warm_up: int = WARM_UP) -> Figure:
    """Time func() without Django's query capture (the hand-written limit)."""
    for _ in range(warm_up):
        func()
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return summarise(times, queries=1, status=None)


def time_alternating(
    first: Callable[[], Any], second: Callable[[], Any], runs: int
) -> tuple[Figure, Figure]:
    """Time two variants in turn (A, B, A, B, …) so that machine noise hits both alike."""
    for _ in range(WARM_UP):
        first()
        second()
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(runs):
        for func, times in ((first, times_a), (second, times_b)):
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
    return (
        summarise(times_a, queries=None, status=None),
        summarise(times_b, queries=None, status=None),
    )
