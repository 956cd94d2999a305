"""The retention job: thin, idempotent, safe to run twice (the second run deletes nothing)."""

from celery import shared_task

from program.audit import services
from program.core.tasks import RETRY_TRANSIENT


@shared_task(name="audit.access_log_purge", time_limit=600, soft_time_limit=540, **RETRY_TRANSIENT)
def access_log_purge() -> int:
    purge = services.access_log_purge(actor="system:audit.access_log_purge")
    return purge.access_log_deleted
