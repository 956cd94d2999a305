"""Periodic jobs of the cells app. Thin: each calls one service that may run twice."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from program.cells.notices import reservation_notices_send
from program.core.tasks import RETRY_TRANSIENT


@shared_task(name="cells.reservation_notices", ignore_result=True, **RETRY_TRANSIENT)
def reservation_notices(today: str | None = None) -> dict[str, int]:
    """Tell the occupancy administrators of today's arrivals and of reservations gone overdue;
    `today` (YYYY-MM-DD) is for replays and tests. Each fact is told once, so a redelivered or
    repeated run tells nobody again."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    notices = reservation_notices_send(on=day)
    return {"arriving_today": notices.arriving_today, "overdue": notices.overdue}
