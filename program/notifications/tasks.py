from celery import shared_task

from program.notifications import services


@shared_task(
    # The registered name is kept from when notifications lived in transfers/, so messages
    # already queued under it (and anything that names it) still run.
    name="transfers.notification_send",
    ignore_result=True,
    max_retries=3,
    soft_time_limit=30,
    time_limit=60,
)
def notification_send(notification_id: int) -> str:
    """Send one notification's e-mail; a second run finds it sent and does nothing."""
    return services.notification_deliver(notification_id=notification_id)
