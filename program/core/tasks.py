from celery import Task, shared_task

from program.core.services import heartbeat_record

HEARTBEAT = "heartbeat"


@shared_task(bind=True, name="core.heartbeat", ignore_result=True)
def heartbeat(self: Task) -> None:
    heartbeat_record(name=HEARTBEAT, worker=self.request.hostname or "")
