"""One runner per background job: a job delivered twice (a redelivered task, a second worker)
must not run twice side by side, so each run first takes a session advisory lock on the job."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def job_lock(key: int, job_id: int) -> Iterator[bool]:
    """Whether this runner holds the job's lock (key, job_id); held until the block ends. A
    session lock, not a transaction lock: the job commits in many transactions while it runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [key, job_id])
        (locked,) = cursor.fetchone()
    if not locked:
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [key, job_id])
