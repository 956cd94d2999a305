"""Queue Celery work in the caller's transaction, and hand it to the broker after commit."""

import logging
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import timedelta
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu import Connection

from program.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

# A row handed to the broker but not done after this long is handed over again: the broker may
# have lost it (Redis restarted empty). Longer than a task's hard time limit, so a slow run is
# not doubled while it still runs; a double would change nothing anyway (tasks are idempotent).
RESEND_AFTER_SECONDS = 15 * 60
# A row still not done after this many hand-overs is left for an operator (last_error says why).
MAX_ATTEMPTS = 5
RELAY_BATCH = 200
# Publishing from a web request must fail fast while the broker is down, not retry for seconds:
# the beat relay will try again.
_FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}
_TASK_ID = re.compile(r"^outbox-(\d+)-\d+$")

JsonArg = int | str | float | bool | None


def enqueue(task: Task[Any, Any] | str, *args: JsonArg, key: str) -> None:
    """Queue `task(*args)` once per `key`, as part of the current transaction.

    Arguments are ids and codes (JSON), never personal data. The same key queued again is
    ignored: the first row stands for the work.
    """
    enqueue_many(task, [(args, key)])


def enqueue_many(
    task: Task[Any, Any] | str, calls: Iterable[tuple[Sequence[JsonArg], str]]
) -> None:
    """Queue many calls of one task with one insert and one relay after commit."""
    name = task if isinstance(task, str) else task.name
    rows = [OutboxMessage(task=name, args=list(args), key=key) for args, key in calls]
    if not rows:
        return
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    keys = [row.key for row in rows]
    transaction.on_commit(lambda: relay_after_commit(keys))


def relay_after_commit(keys: Collection[str]) -> None:
    """Best effort: hand the just-committed rows to the broker. Never fails the user's action;
    whatever is left is relayed by the beat task."""
    try:
        relay(keys=keys)
    except Exception as error:  # the action has committed; the beat relay retries
        logger.warning("outbox: relay after commit failed (%s)", type(error).__name__)


def relay(*, keys: Collection[str] | None = None, limit: int = RELAY_BATCH) -> int:
    """Hand pending rows to the broker, oldest first; return how many were handed over.

    Rows are locked with SKIP LOCKED, so relays running at once (after-commit hooks and beat
    ticks) hand each row over once. A broker failure stops the batch and leaves the rest
    pending, with the reason in last_error.
    """
    from program.celery import app as celery_app

    now = timezone.now()
    resend_after = timedelta(
        seconds=getattr(settings, "OUTBOX_RESEND_AFTER_SECONDS", RESEND_AFTER_SECONDS)
    )
    due = Q(sent_at__isnull=True) | Q(sent_at__lt=now - resend_after)
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(due, done_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        if keys is not None:
            rows = rows.filter(key__in=list(keys))
        batch = list(rows.select_for_update(skip_locked=True).order_by("id")[:limit])
        if not batch:
            return 0
        sent: list[OutboxMessage] = []
        try:
            with celery_app.connection_for_write(transport_options=_FAIL_FAST) as connection:
                for message in batch:
                    _publish(message, connection)
                    message.sent_at = now
                    message.attempts += 1
                    message.last_error = ""
                    sent.append(message)
        except Exception as error:  # the broker is down or refused: keep the rest pending
            reason = f"broker: {type(error).__name__}"[:200]
            left = [message.pk for message in batch if message not in sent]
            logger.warning("outbox: %d message(s) left pending (%s)", len(left), reason)
            OutboxMessage.objects.filter(pk__in=left).update(last_error=reason)
        OutboxMessage.objects.bulk_update(sent, ["sent_at", "attempts", "last_error"])
        for message in sent:
            if message.attempts >= MAX_ATTEMPTS:
                logger.error("outbox: %s [%s] sent for the last time", message.task, message.pk)
    return len(sent)


def _publish(message: OutboxMessage, connection: Connection) -> None:
    """Hand one row to the broker (the edge of the system: tests may replace it)."""
    from program.celery import app as celery_app

    celery_app.send_task(
        message.task,
        args=message.args,
        task_id=f"outbox-{message.pk}-{message.attempts + 1}",
        connection=connection,
        retry=False,
    )


def message_done(task_id: str | None) -> bool:
    """Record that the task behind an outbox row succeeded; False for any other task."""
    match = _TASK_ID.match(task_id or "")
    if match is None:
        return False
    OutboxMessage.objects.filter(pk=int(match.group(1)), done_at__isnull=True).update(
        done_at=timezone.now()
    )
    return True
