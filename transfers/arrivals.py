"""The people on their way to a host facility, for the occupancy forecast (program.cells asks
through program.cells.providers; this app registers the answer in TransfersConfig.ready()).

A case decided for transfer (decided, notified, under appeal or scheduled) whose person holds no
place or reservation yet is expected on its planned arrival: the departure of the transport it is
booked on, else the day after its appeal deadline (the first day it may travel), else tomorrow.
A scheduled case with its reservation is counted by the reservation itself.
"""

from datetime import date, timedelta

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery

from program.cells.models import Agreement, Placement
from program.cells.providers import ExpectedArrival
from transfers.models import ManifestEntry, TransferCase

S = TransferCase.State
ON_THE_WAY = (S.DECIDED_TRANSFER, S.NOTIFIED, S.UNDER_APPEAL, S.SCHEDULED)


def _cases_of(agreement: Agreement) -> "QuerySet[TransferCase]":
    """The agreement's open cases on the way (every case names its programme)."""
    return TransferCase.objects.filter(
        state__in=ON_THE_WAY, closed_at__isnull=True, agreement=agreement
    )


def expected_arrivals(agreement: Agreement, today: date) -> list[ExpectedArrival]:
    """One query: the programme's cases on the way, with their transport."""
    cases = _cases_of(agreement)
    # Holding a place or reservation from today on: counted by the placement itself.
    holding = Placement.objects.filter(
        Q(period__upper_inf=True) | Q(period__endswith__gt=today), inmate=OuterRef("inmate_id")
    ).exclude(end_reason=Placement.EndReason.CANCELLED)
    departs = ManifestEntry.objects.filter(case=OuterRef("pk"), removed_at__isnull=True).values(
        "batch__departs_on"
    )[:1]
    rows = (
        cases.exclude(Exists(holding))
        .annotate(departs_on=Subquery(departs, output_field=DateField()))
        .values_list("inmate_id", "appeal_deadline", "departs_on")
    )
    arrivals = []
    for inmate_id, deadline, departs_on in rows:
        arrives = departs_on
        if arrives is None and deadline is not None:
            arrives = deadline + timedelta(days=1)
        arrivals.append(
            ExpectedArrival(inmate_id=inmate_id, arrives_on=arrives or today + timedelta(days=1))
        )
    return arrivals
