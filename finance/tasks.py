from datetime import date

from celery import shared_task
from django.utils import timezone

from finance.services import tranches_advance


@shared_task(
    name="finance.tranches_advance",
    ignore_result=True,
    autoretry_for=(ConnectionError,),
    max_retries=3,
    retry_backoff=True,
)
def tranches_advance_daily(today: str | None = None) -> dict[str, int]:
    """Move tranches that fell due or became overdue; `today` (YYYY-MM-DD) is for replays and
    tests. The service is idempotent, so a redelivered or repeated run does nothing more."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    result = tranches_advance(today=day)
    return {"became_due": result.became_due, "became_overdue": result.became_overdue}
