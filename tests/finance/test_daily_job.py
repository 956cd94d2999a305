"""The daily job on a real Celery worker process, against the test database."""

import time

import pytest

from finance.models import Tranche, TrancheEvent
from finance.tasks import tranches_advance_daily
from program.celery import app as celery_app
from program.core.roles import Role
from program.notifications.models import Notification
from tests.finance.helpers import scheduled, user


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"the worker did not get there within {timeout} s")


def _snapshot() -> list[tuple[int, str, int]]:
    return list(Tranche.objects.order_by("pk").values_list("pk", "status", "version"))


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_on_a_real_worker_moves_tranches_once(worker_queue) -> None:
    terms = scheduled()
    for person in (user("frida"), user("anders", Role.FINANCE_APPROVER)):
        person.email = f"{person.username}@example.invalid"
        person.save(update_fields=["email"])
    today = "2026-11-27"
    tranches_advance_daily.delay(today)
    # Quarterly from 2026-04-01: the start fee, rent and aid for April, July and October fell due,
    # and all seven are more than 30 days late by 27 November.
    _wait_for(lambda: Tranche.objects.filter(status="overdue").count() == 7)
    assert Tranche.objects.filter(agreement=terms.agreement, status="due").count() == 0
    # Each finance officer and approver is told of each overdue tranche, and the worker sends
    # the e-mails (through the outbox, after the job's commit).
    _wait_for(
        lambda: (
            Notification.objects.filter(kind="tranche_overdue", email_state="sent").count() == 7 * 2
        )
    )
    after_first = _snapshot()
    events = TrancheEvent.objects.count()
    tranches_advance_daily.delay(today)
    tranches_advance_daily.delay(today)
    # A marker queued after the repeats: January's rent and aid fall due on 2027-01-01. One solo
    # worker on one queue runs in order, so once the marker has run the repeats have run too.
    tranches_advance_daily.delay("2027-01-01")
    _wait_for(lambda: Tranche.objects.filter(status="due").count() == 2)
    january = set(Tranche.objects.filter(status="due").values_list("pk", flat=True))
    unchanged = [row for row in after_first if row[0] not in january]
    assert [row for row in _snapshot() if row[0] not in january] == unchanged
    assert TrancheEvent.objects.count() == events + 2
    # The repeats told nobody again; January's two tranches, two people each.
    assert Notification.objects.filter(kind="tranche_overdue").count() == 7 * 2
    assert Notification.objects.filter(kind="tranche_due").count() == 2 * 2


def test_the_beat_schedule_runs_the_job_daily() -> None:
    entry = celery_app.conf.beat_schedule["finance-tranches-advance"]
    assert entry["task"] == tranches_advance_daily.name
