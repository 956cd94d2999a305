"""The outbox: work queued in the action's transaction, handed to the broker after commit, and
handed over again by the beat relay when the broker was down or lost it."""

import time

import pytest
from django.db import transaction

from program.celery import app as celery_app
from program.core.models import Heartbeat
from program.core.tasks import HEARTBEAT
from program.outbox import services as outbox
from program.outbox.models import OutboxMessage
from tests.reliability.conftest import free_port, wait_until

# Most run in the test's transaction and play its commit (django_capture_on_commit_callbacks);
# the one with a real worker commits for real.
pytestmark = pytest.mark.django_db


def test_work_queued_in_a_rolled_back_action_is_never_sent(
    outbox_published, django_capture_on_commit_callbacks
) -> None:
    def action() -> None:
        with transaction.atomic():
            outbox.enqueue("core.heartbeat", key="drill:rolled-back")
            raise RuntimeError("the action fails after queueing")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        action()
    assert not OutboxMessage.objects.exists()
    assert outbox_published("core.heartbeat") == []


def test_the_same_key_queued_twice_is_one_message_sent_once(
    outbox_published, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("notifications.notification_send", 7, key="notification:7")
        outbox.enqueue("notifications.notification_send", 7, key="notification:7")
    message = OutboxMessage.objects.get()
    assert outbox_published("notifications.notification_send") == [7]
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.args == [7]
    assert outbox.relay() == 0  # already handed over, not yet due again


def test_while_the_broker_is_down_the_action_commits_and_the_work_waits(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    monkeypatch.setitem(celery_app.conf, "broker_url", closed)
    # Celery reads the environment before its own configuration (CI sets CELERY_BROKER_URL).
    monkeypatch.setenv("CELERY_BROKER_URL", closed)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {})
    celery_app._pool = None
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("core.heartbeat", key="drill:broker-down")
    took = time.monotonic() - started
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 0
    assert message.last_error.startswith("broker: ")
    assert took < 3, f"the action waited {took:.1f} s for a broker that is down"
    celery_app._pool = None


def test_a_message_sent_but_never_done_is_sent_again_and_a_done_one_never(
    outbox_published, settings, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("notifications.notification_send", 1, key="notification:1")
        outbox.enqueue("notifications.notification_send", 2, key="notification:2")
    assert outbox_published("notifications.notification_send") == [1, 2]
    first = OutboxMessage.objects.get(key="notification:1")
    assert outbox.message_done(f"outbox-{first.pk}-1")
    assert not outbox.message_done("a-task-id-that-is-not-the-outbox's")
    settings.OUTBOX_RESEND_AFTER_SECONDS = 0  # the broker lost what it held (Redis came back empty)
    assert outbox.relay() == 1
    assert outbox_published("notifications.notification_send") == [1, 2, 2]
    assert OutboxMessage.objects.get(key="notification:2").attempts == 2
    for _attempt in range(outbox.MAX_ATTEMPTS):
        outbox.relay()
    assert OutboxMessage.objects.get(key="notification:2").attempts == outbox.MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_work_and_marks_it_done(worker_queue) -> None:
    with transaction.atomic():
        outbox.enqueue("core.heartbeat", key="drill:heartbeat")
    wait_until(
        lambda: OutboxMessage.objects.filter(done_at__isnull=False).exists(),
        timeout=60,
        what="the worker to run the outbox message",
    )
    assert Heartbeat.objects.get(name=HEARTBEAT).runs == 1


def test_the_beat_schedule_relays_every_few_seconds() -> None:
    entry = celery_app.conf.beat_schedule["outbox-relay"]
    assert entry["task"] == "outbox.relay"
    assert entry["schedule"] <= 10
