"""The inmate register's worker jobs. Thin: each calls one service that may run twice."""

from celery import shared_task

from program.core.tasks import RETRY_TRANSIENT
from program.inmates import import_jobs

REGISTER_IMPORT_TASK = "inmates.import_job_run"


@shared_task(
    name=REGISTER_IMPORT_TASK,
    ignore_result=True,
    time_limit=900,
    soft_time_limit=840,
    **RETRY_TRANSIENT,
)
def import_job_run(job_id: str) -> None:
    """Import a confirmed file of the inmate register; a second delivery does nothing."""
    import_jobs.run(job_id=job_id, apply=import_jobs.apply_register_import, route="inmates:import")


@shared_task(name="inmates.import_jobs_purge", ignore_result=True, **RETRY_TRANSIENT)
def import_jobs_purge() -> int:
    """Delete expired import previews and finished jobs."""
    return import_jobs.purge()
