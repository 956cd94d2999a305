"""The letters' worker task. Thin: it calls one service that may run twice."""

from celery import shared_task

from program.core.tasks import RETRY_TRANSIENT
from transfers.letters import services


@shared_task(
    name=services.JOB_TASK,
    ignore_result=True,
    **RETRY_TRANSIENT,
    soft_time_limit=600,
    time_limit=660,
)
def transport_job_run(job_id: int) -> None:
    """Make one transport's manifest and letters; a second delivery of the same job does nothing."""
    services.letter_job_run(job_id=job_id)
