from celery import shared_task

from program.outbox import services


@shared_task(name="outbox.relay", ignore_result=True)
def outbox_relay() -> int:
    """Hand to the broker what the after-commit hooks could not (broker down, process died)."""
    total = 0
    while sent := services.relay():
        total += sent
        if sent < services.RELAY_BATCH:
            break
    return total
