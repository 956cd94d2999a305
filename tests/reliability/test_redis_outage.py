"""Redis stops for a while and comes back empty: user actions still succeed, their work waits in
the outbox (PostgreSQL), and the beat relay hands it to the broker when Redis returns. Each
effect happens once."""

import time
from collections import Counter

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from program.notifications.models import Notification
from program.outbox.models import OutboxMessage
from tests.reliability import population
from tests.reliability.conftest import wait_until
from tests.reliability.test_worker_killed import _mails
from transfers import selectors, services
from transfers.models import CaseEvent, Screening, ScreeningJob

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 8


def test_while_redis_is_down_actions_succeed_and_their_work_runs_once_when_it_returns(
    private_redis, start_worker, caseworker, carla, place, drill_dir
) -> None:
    inmates = population.candidates(60)
    cases = population.open_cases(inmates, every=6, caseworker=carla)
    mail = drill_dir / "mail"
    worker = start_worker(
        broker_url=private_redis.url,
        beat=True,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail),
    )
    # Up: the worker takes work (proof the setup works before the fault).
    wait_until(lambda: "ready." in worker.log(), timeout=60, what="the worker to start")

    private_redis.stop()
    down_at = time.monotonic()
    # The sweep's screening writes notifications whose e-mails go through the outbox.
    stored = services.sweep_run()
    assert stored == len(inmates)
    started = time.monotonic()
    response = caseworker.post(reverse("transfers:screen-all"))
    took = time.monotonic() - started
    assert response.status_code == 302, "screen-all failed while Redis was down"
    assert took < 3, f"screen-all waited {took:.1f} s for Redis"
    page = caseworker.get(response.url)
    assert page.status_code == 200
    job = ScreeningJob.objects.get()
    assert job.state == ScreeningJob.State.QUEUED
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == len(cases) + 1  # one e-mail per case, and the job
    assert all(message.last_error.startswith("broker: ") for message in waiting)
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))

    private_redis.start()  # empty: no queue, no binding, nothing it held before
    back = time.monotonic()
    relayed = wait_until(
        lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(),
        timeout=120,
        what="the relay to hand the waiting work to Redis",
    )
    done = wait_until(
        lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists(),
        timeout=120,
        what="the worker to run the waiting work",
    )
    time.sleep(3)  # a second run or a second e-mail would show up here

    job.refresh_from_db()
    assert job.state == ScreeningJob.State.FINISHED
    assert job.done == job.total == len(selectors.sweep_population(on=timezone.localdate()))
    # The job screened each open case once (each case moved to its outcome, one event each).
    screened = CaseEvent.objects.filter(kind=CaseEvent.Kind.SCREENING)
    assert screened.count() == len(cases)
    assert set(screened.values("case").annotate(n=Count("id")).values_list("n", flat=True)) == {1}
    assert Counter(Screening.objects.filter(case__isnull=False).values_list("case", flat=True)) == {
        case.pk: 2
        for case in cases  # the sweep's, then the job's
    }
    assert Notification.objects.count() == len(cases)
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    assert _mails(mail) == len(cases)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    assert time.monotonic() - back < 60
    print(
        f"redis drill: down {OUTAGE_SECONDS} s; {len(cases) + 1} messages waited; all handed "
        f"over {relayed:.1f} s and done {relayed + done:.1f} s after Redis came back; "
        f"{Notification.objects.count()} notifications, {_mails(mail)} e-mails, 1 job run "
        f"({job.done} screened)"
    )
