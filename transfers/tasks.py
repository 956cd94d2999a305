"""Periodic jobs of the transfer cases. Thin: each calls one service that may run twice."""

from celery import shared_task

from transfers import services


@shared_task(name="transfers.eligibility_sweep", ignore_result=True, max_retries=2)
def eligibility_sweep() -> int:
    """Screen every open pre-decision case and candidate; store changed outcomes only."""
    return services.sweep_run()


@shared_task(name="transfers.deadline_reminders", ignore_result=True, max_retries=2)
def deadline_reminders() -> int:
    """One reminder event per case and deadline: appeal window, review, release prep, transport."""
    return services.reminders_run()


@shared_task(name="transfers.screen_job_run", ignore_result=True, max_retries=2)
def screen_job_run(job_id: int) -> None:
    """Run one "screen all candidates" job; a second delivery of the same job does nothing."""
    services.screen_job_run(job_id=job_id)
