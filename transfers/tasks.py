"""Periodic jobs of the transfer cases. Thin: each calls one service that may run twice."""

from celery import shared_task
from django.utils import timezone

from program.core.tasks import RETRY_TRANSIENT
from program.inmates import import_jobs
from transfers import intake, services
from transfers.services import waiting


@shared_task(name="transfers.eligibility_sweep", ignore_result=True, **RETRY_TRANSIENT)
def eligibility_sweep() -> int:
    """Screen every open pre-decision case and candidate; store changed outcomes only."""
    return services.sweep_run()


@shared_task(name="transfers.deadline_reminders", ignore_result=True, **RETRY_TRANSIENT)
def deadline_reminders() -> int:
    """One reminder event per case and deadline: appeal window, review, release prep, transport;
    and the caseworker told of each case whose clock ran out into their work queue (once)."""
    reminded = services.reminders_run()
    waiting.tell_clock_waits(on=timezone.localdate())
    return reminded


@shared_task(name="transfers.screen_job_run", ignore_result=True, **RETRY_TRANSIENT)
def screen_job_run(job_id: int) -> None:
    """Run one "screen all candidates" job; a second delivery of the same job does nothing."""
    services.screen_job_run(job_id=job_id)


@shared_task(
    name=intake.INTAKE_TASK,
    ignore_result=True,
    time_limit=900,
    soft_time_limit=840,
    **RETRY_TRANSIENT,
)
def intake_job_run(job_id: str) -> None:
    """Import a confirmed candidate file; a second delivery of the same job does nothing."""
    import_jobs.run(job_id=job_id, apply=intake.apply_intake, route="transfers:intake")
