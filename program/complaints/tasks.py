"""The complaints' periodic job. Thin: it calls one service that may run twice."""

from datetime import date

from celery import shared_task

from program.complaints import services
from program.core.tasks import RETRY_TRANSIENT

REMINDERS_TASK = "complaints.deadline_reminders"


@shared_task(name=REMINDERS_TASK, ignore_result=True, **RETRY_TRANSIENT)
def deadline_reminders(on: str | None = None) -> int:
    """Remind the handlers of complaints whose answer is due soon or overdue, once per fact
    (`on`: the day to run for, ISO; today when not given)."""
    return services.reminders_run(on=date.fromisoformat(on) if on else None)
