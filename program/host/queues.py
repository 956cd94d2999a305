"""The host facility staff's work queues (program.core.work_queues): the arrivals due at their
facility today (or overdue: a reservation whose day has come and nobody checked in), and the
units whose headcount is not yet confirmed today. Each is scoped to the user's posting by a
subquery, so the header's counts stay one query."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells.models import Placement, Unit
from program.cells.unit_view import place_label
from program.core.work_queues import QueueItem, WorkQueue
from program.host.selectors import arrivals_due_today, units_to_count


def _arrival(reservation: Placement) -> QueueItem:
    expected = reservation.period.lower
    late = expected < timezone.localdate()
    return QueueItem(
        text=_("Place %(place)s") % {"place": place_label(reservation.place)},
        url=reverse("host:arrivals"),
        detail=(
            _("arrival was expected on %(day)s")
            % {"day": formats.date_format(expected, "SHORT_DATE_FORMAT")}
            if late
            else _("arrives today")
        ),
        urgent=late,
    )


def _unit(unit: Unit) -> QueueItem:
    return QueueItem(
        text=f"{unit.code} {unit.name}",
        url=reverse("host:headcount"),
        detail=_("headcount not yet confirmed today"),
    )


QUEUES = (
    WorkQueue(
        key="host_arrivals_today",
        label=gettext_lazy("Arrivals to check in"),
        empty=gettext_lazy("Nobody is expected at the gate today."),
        capability="host.work",
        nav="host:roll",
        rows=arrivals_due_today,
        item=_arrival,
        more_url=lambda: reverse("host:arrivals"),
    ),
    WorkQueue(
        key="host_headcount_due",
        label=gettext_lazy("Headcount not yet confirmed today"),
        empty=gettext_lazy("Today's headcount is confirmed."),
        capability="host.work",
        nav="host:roll",
        rows=units_to_count,
        item=_unit,
        more_url=lambda: reverse("host:headcount"),
    ),
)
