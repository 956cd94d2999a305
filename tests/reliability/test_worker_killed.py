"""The Celery worker is killed (SIGKILL) in the middle of the nightly sweep and of the tranche
job, then started again: Redis hands the unacknowledged job to the new worker (late
acknowledgement), the job runs again, and every effect is counted exactly once."""

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db.models import Count
from django.utils import timezone

from finance.models import Tranche, TrancheEvent
from finance.services import TRANCHE_SUBJECT
from finance.tasks import tranches_advance_daily
from program.core.capabilities import users_with
from program.notifications.models import Notification
from program.outbox.models import OutboxMessage
from tests.celery_worker import _test_database_url
from tests.finance.helpers import scheduled
from tests.reliability import population
from tests.reliability.conftest import wait_until
from transfers import selectors
from transfers.models import CaseEvent, Screening
from transfers.services import SWEEP_CHUNK, SWEEP_LOCK_KEY
from transfers.tasks import eligibility_sweep

pytestmark = pytest.mark.django_db(transaction=True)

# Redis gives an unacknowledged message to a worker again this long after it was taken.
VISIBILITY = "3"
MAIL_SEPARATOR = "-" * 79  # the file e-mail backend writes it after each message


def _waiting_on(locktype: str) -> bool:
    with psycopg.connect(_test_database_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND l.locktype = %s AND a.datname = current_database()",
            [locktype],
        ).fetchone()
    return bool(row and row[0])


@contextmanager
def _database_lock(sql: str) -> Iterator[None]:
    """Hold a lock from a connection of our own, inside a transaction, until the block ends."""
    with psycopg.connect(_test_database_url()) as conn:
        conn.execute(sql)
        try:
            yield
        finally:
            conn.rollback()


def _mails(folder: Path) -> int:
    if not folder.exists():
        return 0
    return sum(path.read_text().count(MAIL_SEPARATOR) for path in folder.iterdir())


@pytest.mark.reliability
def test_a_worker_killed_midway_through_the_sweep_leaves_every_effect_once(
    private_redis, start_worker, carla, place, drill_dir
) -> None:
    inmates = population.candidates(6 * SWEEP_CHUNK)
    cases = population.open_cases(inmates, every=25, caseworker=carla)
    swept = len(selectors.sweep_population(on=timezone.localdate()))
    assert swept == len(inmates)
    mail = drill_dir / "mail"
    env = {
        "CELERY_VISIBILITY_TIMEOUT": VISIBILITY,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
    }
    worker = start_worker(broker_url=private_redis.url, **env)
    eligibility_sweep.delay()

    # Once the first chunk has committed, hold the lock each chunk takes first: the sweep stops
    # between two chunks, with part of its work stored and part not.
    wait_until(Screening.objects.exists, timeout=120, what="the sweep's first chunk")
    with _database_lock(f"SELECT pg_advisory_lock({SWEEP_LOCK_KEY})"):
        wait_until(lambda: _waiting_on("advisory"), timeout=60, what="the sweep to wait")
        stored_at_kill = Screening.objects.count()
        events_at_kill = CaseEvent.objects.filter(kind=CaseEvent.Kind.OUTCOME_CHANGED).count()
        worker.kill()
    assert 0 < stored_at_kill < swept, "the worker was not killed in the middle of the sweep"
    assert stored_at_kill % SWEEP_CHUNK == 0, "a chunk was stored in part"

    second = start_worker(broker_url=private_redis.url, **env)
    done = lambda: (  # noqa: E731
        Screening.objects.count() == swept
        and Notification.objects.filter(email_state=Notification.EmailState.SENT).count()
        == len(cases)
    )
    took = wait_until(done, timeout=240, what="the restarted worker to finish the sweep")
    time.sleep(3)  # a duplicate run or a second e-mail would show up here

    # The same message, never acknowledged by the killed worker, was given to the new one.
    assert "transfers.eligibility_sweep[" in second.log()
    per_inmate = Counter(Screening.objects.values_list("inmate_id", flat=True))
    assert len(per_inmate) == swept
    assert set(per_inmate.values()) == {1}
    changed = CaseEvent.objects.filter(kind=CaseEvent.Kind.OUTCOME_CHANGED)
    assert changed.count() == len(cases)
    assert set(changed.values("case").annotate(n=Count("id")).values_list("n", flat=True)) == {1}
    assert Notification.objects.count() == len(cases)
    assert Notification.objects.exclude(email_state=Notification.EmailState.SENT).count() == 0
    assert _mails(mail) == len(cases)
    assert OutboxMessage.objects.count() == len(cases)
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
    print(
        f"sweep drill: {swept} screened, killed after {stored_at_kill} stored and "
        f"{events_at_kill} events; finished {took:.1f} s after the restart; "
        f"{changed.count()} events, {Notification.objects.count()} notifications, "
        f"{_mails(mail)} e-mails for {len(cases)} cases"
    )


def _tranches() -> dict[int, tuple[str, int]]:
    return {
        pk: (status, version)
        for pk, status, version in Tranche.objects.values_list("pk", "status", "version")
    }


def test_a_worker_killed_inside_the_tranche_job_leaves_every_effect_once(start_worker) -> None:
    scheduled()
    before = _tranches()
    assert {status for status, _version in before.values()} == {"planned"}
    worker = start_worker(CELERY_VISIBILITY_TIMEOUT=VISIBILITY)

    # The job moves every tranche in one transaction; holding the events table makes it stop
    # after the status updates and before the events: killed there, it has done half its work.
    with _database_lock("LOCK TABLE finance_trancheevent IN SHARE MODE"):
        tranches_advance_daily.delay("2026-11-27")
        wait_until(lambda: _waiting_on("relation"), timeout=60, what="the job to wait")
        worker.kill()
    assert _tranches() == before, "the killed job's half-done transaction must leave nothing"
    assert TrancheEvent.objects.filter(to_status__in=["due", "overdue"]).count() == 0

    second = start_worker(CELERY_VISIBILITY_TIMEOUT=VISIBILITY)
    took = wait_until(
        lambda: Tranche.objects.filter(status="overdue").count() == 7,
        timeout=60,
        what="the restarted worker to run the job again",
    )
    time.sleep(2)  # a second run would show up here
    after = _tranches()
    moved = {pk for pk, (status, _v) in after.items() if status != "planned"}
    assert len(moved) == 7
    # Each moved tranche: planned → due → overdue, once: two versions and two events.
    assert all(after[pk] == ("overdue", before[pk][1] + 2) for pk in moved)
    events = TrancheEvent.objects.filter(to_status__in=["due", "overdue"])
    assert events.count() == 14
    assert Counter(events.values_list("tranche_id", "to_status")) == Counter(
        {(pk, status): 1 for pk in moved for status in ("due", "overdue")}
    )
    assert "finance.tranches_advance[" in second.log()  # redelivered, not sent again
    # Finance staff are told once per person and tranche (the key holds the version after the
    # move); each notification's e-mail goes through the outbox and is delivered once.
    staff = users_with("tranche.notified").count()
    told = Notification.objects.filter(subject_type=TRANCHE_SUBJECT)
    assert staff >= 1
    assert told.count() == 7 * staff
    assert Counter(told.values_list("recipient_id", "subject_id")).most_common(1)[0][1] == 1
    wait_until(
        lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists(),
        timeout=60,
        what="the e-mails to be delivered",
    )
    assert OutboxMessage.objects.count() == told.count()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    print(
        f"tranche drill: 7 tranches moved twice each, 14 events, {told.count()} notifications "
        f"to {staff} person(s); rerun done {took:.1f} s after the restart"
    )
