"""The occupancy administrator's work queues (program.core.work_queues): people expected today,
and reservations whose arrival day has passed with nobody admitted."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells.models import Placement
from program.cells.unit_view import place_label
from program.core.work_queues import QueueItem, WorkQueue


def open_reservations(today: date) -> QuerySet[Placement]:
    """Reservations still holding their place on `today`: an admission turns one into a
    placement, a cancellation marks it cancelled (also read by the daily notices, notices.py)."""
    return (
        Placement.objects.filter(kind=Placement.Kind.RESERVATION)
        .exclude(end_reason=Placement.EndReason.CANCELLED)
        .filter(Q(period__upper_inf=True) | Q(period__endswith__gt=today))
        .select_related("place__cell__unit")
        .order_by("period", "pk")
    )


def arrivals_today(user: Any = None) -> QuerySet[Placement]:
    today = timezone.localdate()
    return open_reservations(today).filter(period__startswith=today)


def overdue_reservations(user: Any = None) -> QuerySet[Placement]:
    today = timezone.localdate()
    return open_reservations(today).filter(period__startswith__lt=today)


def _unit_url(reservation: Placement, on: date) -> str:
    return (
        reverse("cells:unit-detail", args=[reservation.place.cell.unit_id])
        + f"?date={on.isoformat()}&show=reserved"
    )


def _reservation_item(reservation: Placement, detail: str, *, urgent: bool = False) -> QueueItem:
    """A reservation as both occupancy queues list it: its place, linked to the unit page of
    today; only what is said about the arrival differs."""
    return QueueItem(
        text=_("Place %(place)s") % {"place": place_label(reservation.place)},
        url=_unit_url(reservation, timezone.localdate()),
        detail=detail,
        urgent=urgent,
        api_url=reverse("api:placement-detail", args=[reservation.pk]),
    )


def _arrival(reservation: Placement) -> QueueItem:
    return _reservation_item(reservation, _("arrives today"))


def _overdue(reservation: Placement) -> QueueItem:
    expected = reservation.period.lower
    return _reservation_item(
        reservation,
        _("arrival was expected on %(day)s")
        % {"day": formats.date_format(expected, "SHORT_DATE_FORMAT")},
        urgent=True,
    )


QUEUES = (
    WorkQueue(
        key="arrivals_today",
        label=gettext_lazy("Expected arrivals today"),
        empty=gettext_lazy("Nobody is expected today."),
        capability="occupancy.notified",
        nav="cells:occupancy",
        rows=arrivals_today,
        item=_arrival,
        more_url=lambda: reverse("cells:occupancy"),
    ),
    WorkQueue(
        key="overdue_reservations",
        label=gettext_lazy("Reservations past their arrival date"),
        empty=gettext_lazy("No reservation is past its arrival date."),
        capability="occupancy.notified",
        nav="cells:occupancy",
        rows=overdue_reservations,
        item=_overdue,
    ),
)
