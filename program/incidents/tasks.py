from typing import Any

from celery import Task, shared_task

from program.core.tasks import RETRY_TRANSIENT
from program.incidents import services


@shared_task(
    name="incidents.authority_notice_send",
    bind=True,
    ignore_result=True,
    # Retried after a transient failure (the database or broker went away), like the other
    # tasks; a delivery that stays pending is retried by hand below, within the same limit.
    **RETRY_TRANSIENT,
    default_retry_delay=60,
)
def authority_notice_send(self: Task[Any, Any], notice_id: int) -> str:
    """E-mail the Danish authority about a use of force or a death (queued by the outbox).

    Idempotent: a sent notice is not sent again. A delivery that failed (the mail server did not
    answer) stays pending and is retried a minute later, up to three times; then the outbox's own
    re-send takes over (program/outbox).
    """
    state = services.authority_notice_deliver(notice_id=notice_id)
    if state == "pending":
        raise self.retry()
    return state


@shared_task(name="incidents.review_reminders", ignore_result=True)
def review_reminders() -> int:
    """Remind the governors of incident reviews past their deadline (hourly; once per incident
    and deadline, so a rerun changes nothing)."""
    return services.review_reminders_send()
