"""The worker marks an outbox row done when its task succeeded (Celery's task_success signal)."""

from typing import Any

from celery.signals import task_success

from program.outbox.services import message_done


@task_success.connect(dispatch_uid="outbox.message_done")
def _task_succeeded(sender: Any = None, **_kwargs: Any) -> None:
    request = getattr(sender, "request", None)
    message_done(getattr(request, "id", None))
