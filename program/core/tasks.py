"""The core's worker task, and the retry policy every task of the project uses."""

from typing import Any

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from program.core.services import heartbeat_record

HEARTBEAT = "heartbeat"

# Failures that pass by themselves: the database restarting or unreachable, the broker or another
# server not answering. A task meeting one is retried with growing, jittered waits; any other
# error is a bug or bad data, which a retry would only repeat, so it fails at once. Every task is
# idempotent (a second run of the same work does nothing more), so a retry is always safe.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
)
RETRY_TRANSIENT: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(bind=True, name="core.heartbeat", ignore_result=True)
def heartbeat(self: Task[Any, Any]) -> None:
    heartbeat_record(name=HEARTBEAT, worker=self.request.hostname or "")
