"""Run the same action from many threads at once, round after round, on real transactions.

Each worker thread keeps its own database connection (Django's connections are per thread) for
all rounds, and a barrier per round releases the attempts together, so they really overlap
inside PostgreSQL rather than queueing in Python. At the end each worker closes its connection
itself: a connection can only be closed by the thread that opened it, and a leaked one would
keep the test database from being dropped.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection

BARRIER_TIMEOUT_S = 30


@dataclass
class Race:
    """A pool of `threads` workers that each attempt once per round."""

    threads: int
    _pool: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="racer")

    def round(self, attempt: Callable[[int], str]) -> list[str]:
        """Run attempt(0) … attempt(threads - 1) at once; their outcomes, in thread order.

        An attempt returns a word for its outcome; an unexpected exception becomes
        "error: …", so the caller's assertion shows it instead of a hung or silent thread.
        """
        barrier = threading.Barrier(self.threads, timeout=BARRIER_TIMEOUT_S)

        def run(index: int) -> str:
            barrier.wait()
            try:
                return attempt(index)
            except Exception as error:
                return f"error: {error!r}"

        futures = [self._pool.submit(run, index) for index in range(self.threads)]
        return [future.result(timeout=BARRIER_TIMEOUT_S * 4) for future in futures]

    def close(self) -> None:
        """Close every worker's connection (each from its own thread), then stop the pool."""

        def close_own_connection(_index: int) -> str:
            connection.close()
            return "closed"

        # The barrier holds each task until all are running, so each lands on its own thread.
        self.round(close_own_connection)
        self._pool.shutdown(wait=True)

    def __enter__(self) -> "Race":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# Pairs of live placements that share a place or an inmate on some day. Cancelled reservations
# hold no days (the exclusion constraints skip them too).
OVERLAPS_SQL = """
    SELECT count(*)
    FROM cells_placement a
    JOIN cells_placement b
      ON a.id < b.id
     AND a.period && b.period
     AND (a.place_id = b.place_id OR a.inmate_id = b.inmate_id)
    WHERE a.end_reason <> 'cancelled' AND b.end_reason <> 'cancelled'
"""


def overlapping_placements() -> int:
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        row = cursor.fetchone()
    return int(row[0]) if row else 0
