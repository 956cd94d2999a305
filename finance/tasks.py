from datetime import date

from celery import shared_task
from django.utils import timezone

from finance.services import per_inmate_month_bill_all, tranches_advance
from program.core.tasks import RETRY_TRANSIENT


@shared_task(
    name="finance.tranches_advance",
    ignore_result=True,
    **RETRY_TRANSIENT,
)
def tranches_advance_daily(today: str | None = None) -> dict[str, int]:
    """Move tranches that fell due or became overdue; `today` (YYYY-MM-DD) is for replays and
    tests. The service is idempotent, so a redelivered or repeated run does nothing more."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    # Bill per-inmate-month months that ended (and correct late-recorded ones) before moving.
    billed = per_inmate_month_bill_all(today=day)
    result = tranches_advance(today=day)
    return {
        "billed": billed,
        "became_due": result.became_due,
        "became_overdue": result.became_overdue,
    }
