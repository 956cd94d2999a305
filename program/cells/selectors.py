"""Reads of agreements, facilities, cells and places, shaped for their pages and endpoints."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from program.cells.models import Agreement, Cell, Facility, Placement, RampUpCap, Unit


def agreement_list() -> QuerySet[Agreement]:
    return Agreement.objects.annotate(facility_count=Count("facilities")).order_by("signed_on")


def agreement_detail_queryset() -> QuerySet[Agreement]:
    return Agreement.objects.prefetch_related(
        Prefetch("ramp_up_caps", queryset=RampUpCap.objects.order_by("effective_from")),
        Prefetch("facilities", queryset=facility_list()),
    )


def ramp_up_cap_on(*, agreement: Agreement, on: date) -> int:
    """Places usable on a date: the latest cap in force, or all contracted places if none is."""
    cap = (
        RampUpCap.objects.filter(agreement=agreement, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("places", flat=True)
        .first()
    )
    return agreement.contracted_places if cap is None else cap


def facility_list() -> QuerySet[Facility]:
    return (
        Facility.objects.select_related("agreement")
        .annotate(
            unit_count=Count("units", distinct=True),
            cell_count=Count("units__cells", distinct=True),
            place_count=Count("units__cells__places", distinct=True),
        )
        .order_by("name")
    )


def facility_units(*, facility: Facility) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(facility=facility)
        .annotate(
            cell_count=Count("cells", distinct=True),
            place_count=Count("cells__places", distinct=True),
        )
        .prefetch_related(Prefetch("cells", queryset=cell_list().filter(unit__facility=facility)))
        .order_by("code")
    )


def cell_list() -> QuerySet[Cell]:
    return (
        Cell.objects.select_related("unit", "unit__facility")
        .annotate(place_count=Count("places"))
        .order_by("unit__code", "number")
    )


@dataclass(frozen=True)
class FacilityCapacity:
    cells: int
    places: int
    cpt_capacity: int
    single_cells: int
    shared_cells: int


def facility_capacity(*, facility: Facility) -> FacilityCapacity:
    cells = Cell.objects.filter(unit__facility=facility)
    totals = cells.aggregate(
        cells=Count("id", distinct=True),
        cpt=Coalesce(Sum("cpt_capacity"), 0),
    )
    return FacilityCapacity(
        cells=totals["cells"],
        places=cells.aggregate(n=Count("places"))["n"],
        cpt_capacity=totals["cpt"],
        single_cells=cells.filter(kind=Cell.Kind.SINGLE).count(),
        shared_cells=cells.filter(kind=Cell.Kind.SHARED).count(),
    )


def places_held_on(*, agreement: Agreement, on: date, ignore: Placement | None = None) -> int:
    """Places occupied or reserved on a day across the agreement's facilities (rule E17)."""
    held = Placement.objects.filter(
        place__cell__unit__facility__agreement=agreement, period__contains=on
    ).exclude(end_reason=Placement.EndReason.CANCELLED)
    if ignore is not None:
        held = held.exclude(pk=ignore.pk)
    return held.count()


def occupied_place_days(*, agreement: Agreement, start: date, end: date) -> int:
    """Inmate-nights in the agreement's places over [start, end), counted by PostgreSQL.

    Each placement contributes the days its period shares with the window (range intersection);
    reservations and cancelled rows hold no one and do not count. Finance reads this for the
    cost of an occupied place-day.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(SUM(upper(shared) - lower(shared)), 0)
            FROM (
                SELECT p.period * daterange(%s, %s) AS shared
                FROM cells_placement p
                JOIN cells_place pl ON pl.id = p.place_id
                JOIN cells_cell c ON c.id = pl.cell_id
                JOIN cells_unit u ON u.id = c.unit_id
                JOIN cells_facility f ON f.id = u.facility_id
                WHERE f.agreement_id = %s
                  AND p.kind = 'placement'
                  AND p.period && daterange(%s, %s)
            ) AS overlap
            WHERE NOT isempty(shared)
            """,
            [start, end, agreement.pk, start, end],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def occupied_place_days_by_window(
    *, agreement: Agreement, windows: Sequence[tuple[date, date]]
) -> list[int]:
    """occupied_place_days for each [start, end) window, in one query whatever their number
    (a ten-year cost report by quarter asked 40 queries; bench/, issue 7)."""
    if not windows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.n, COALESCE(SUM(upper(s.shared) - lower(s.shared)), 0)
            FROM unnest(%s::date[], %s::date[]) WITH ORDINALITY AS w(lo, hi, n)
            LEFT JOIN LATERAL (
                SELECT p.period * daterange(w.lo, w.hi) AS shared
                FROM cells_placement p
                JOIN cells_place pl ON pl.id = p.place_id
                JOIN cells_cell c ON c.id = pl.cell_id
                JOIN cells_unit u ON u.id = c.unit_id
                JOIN cells_facility f ON f.id = u.facility_id
                WHERE f.agreement_id = %s
                  AND p.kind = 'placement'
                  AND p.period && daterange(w.lo, w.hi)
            ) AS s ON NOT isempty(s.shared)
            GROUP BY w.n
            ORDER BY w.n
            """,
            [[lo for lo, _hi in windows], [hi for _lo, hi in windows], agreement.pk],
        )
        return [int(total) for _n, total in cursor.fetchall()]


def hold_counts_on_change_days(
    *, agreement: Agreement, period: DateRange, ignore: Placement | None = None
) -> dict[date, int]:
    """Places held (placed or reserved) on each day in `period` where the count or the cap can
    change: the period's first day, each later start of another hold, each later ramp-up step.
    One query for the counts, one for the steps."""
    start = period.lower
    steps = set(
        RampUpCap.objects.filter(agreement=agreement, effective_from__gt=start)
        .filter(Q(effective_from__lt=period.upper) if period.upper else Q())
        .values_list("effective_from", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH holds AS (
                SELECT p.period
                FROM cells_placement p
                JOIN cells_place pl ON pl.id = p.place_id
                JOIN cells_cell c ON c.id = pl.cell_id
                JOIN cells_unit u ON u.id = c.unit_id
                JOIN cells_facility f ON f.id = u.facility_id
                WHERE f.agreement_id = %(agreement)s
                  AND p.end_reason <> 'cancelled'
                  AND p.id <> %(ignore)s
                  AND p.period && %(period)s
            ),
            days AS (
                SELECT %(start)s::date AS day
                UNION SELECT lower(period) FROM holds WHERE lower(period) > %(start)s
                UNION SELECT unnest(%(steps)s::date[])
            )
            SELECT days.day, count(holds.period)
            FROM days LEFT JOIN holds ON holds.period @> days.day
            GROUP BY days.day
            """,
            {
                "agreement": agreement.pk,
                "ignore": ignore.pk if ignore is not None else 0,
                "period": period,
                "start": start,
                "steps": sorted(steps),
            },
        )
        return dict(cursor.fetchall())
