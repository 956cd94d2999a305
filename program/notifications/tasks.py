from celery import shared_task

from program.core.tasks import RETRY_TRANSIENT
from program.notifications import services


@shared_task(
    name=services.SEND_TASK,
    ignore_result=True,
    **RETRY_TRANSIENT,
    soft_time_limit=30,
    time_limit=60,
)
def notification_send(notification_id: int) -> str:
    """Send one notification's e-mail; a second run finds it sent and does nothing."""
    return services.notification_deliver(notification_id=notification_id)
