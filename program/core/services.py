from django.db import transaction
from django.db.models import F
from django.utils import timezone

from program.core.models import Heartbeat


@transaction.atomic
def heartbeat_record(*, name: str, worker: str) -> Heartbeat:
    """Record that the job ran now. Safe under concurrent runs: the row is locked while counted."""
    now = timezone.now()
    beat, created = Heartbeat.objects.select_for_update().get_or_create(
        name=name, defaults={"last_run_at": now, "runs": 1, "worker": worker}
    )
    if not created:
        Heartbeat.objects.filter(pk=beat.pk).update(
            last_run_at=now, runs=F("runs") + 1, worker=worker
        )
        beat.refresh_from_db()
    return beat
