"""Reads of agreements, facilities, cells and places, shaped for their pages and endpoints."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from program.cells.models import Agreement, Cell, Facility, Placement, RampUpCap, Unit
from program.cells.placement_sql import AGREEMENT_HOLDS, PLACEMENT_TO_FACILITY
from program.inmates.models import NonAssociation


def _with_state_names(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The two states by name (the ISO codes are stored), read with the row: no query more."""
    from program.inmates.models import Country

    def name(field: str) -> Subquery:
        return Subquery(Country.objects.filter(code=OuterRef(field)).values("name")[:1])

    return agreements.annotate(
        sending_state_name=name("sending_state"), host_state_name=name("host_state")
    )


def agreement_list() -> QuerySet[Agreement]:
    return _with_state_names(
        Agreement.objects.annotate(facility_count=Count("facilities")).order_by("signed_on")
    )


def agreement_detail_queryset() -> QuerySet[Agreement]:
    return _with_state_names(Agreement.objects.all()).prefetch_related(
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
            f"""
            SELECT COALESCE(SUM(upper(shared) - lower(shared)), 0)
            FROM (
                SELECT p.period * daterange(%s, %s) AS shared
                {PLACEMENT_TO_FACILITY}
                WHERE f.agreement_id = %s
                  AND p.kind = 'placement'
                  AND p.period && daterange(%s, %s)
            ) AS overlap
            WHERE NOT isempty(shared)
            """,  # noqa: S608 (constant fragments only; every value is a parameter)
            [start, end, agreement.pk, start, end],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def occupied_place_days_by_window(
    *, agreement: Agreement, windows: Sequence[tuple[date, date]]
) -> list[int]:
    """occupied_place_days for each [start, end) window, in one query whatever their number
    (a ten-year cost report by quarter asked 40 queries; measured with make bench).

    The programme's placements in the whole span are read once (a materialised CTE); joined per
    window instead, the plan walked the placement index again for each of a ten-year report's
    120 months (3× slower at 10,000 inmates; docs/benchmark.md)."""
    if not windows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH held AS MATERIALIZED (
                SELECT p.period
                {PLACEMENT_TO_FACILITY}
                WHERE f.agreement_id = %s
                  AND p.kind = 'placement'
                  AND p.period && daterange(%s::date, %s::date)
            )
            SELECT w.n, COALESCE(SUM(upper(s.shared) - lower(s.shared)), 0)
            FROM unnest(%s::date[], %s::date[]) WITH ORDINALITY AS w(lo, hi, n)
            LEFT JOIN LATERAL (
                SELECT h.period * daterange(w.lo, w.hi) AS shared
                FROM held h
                WHERE h.period && daterange(w.lo, w.hi)
            ) AS s ON NOT isempty(s.shared)
            GROUP BY w.n
            ORDER BY w.n
            """,  # noqa: S608 (constant fragments only; every value is a parameter)
            [
                agreement.pk,
                min(lo for lo, _hi in windows),
                max(hi for _lo, hi in windows),
                [lo for lo, _hi in windows],
                [hi for _lo, hi in windows],
            ],
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
            f"""
            WITH holds AS (
                {AGREEMENT_HOLDS}
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
            """,  # noqa: S608 (constant fragments only; every value is a parameter)
            {
                "agreement": agreement.pk,
                "ignore": ignore.pk if ignore is not None else 0,
                "period": period,
                "start": start,
                "steps": sorted(steps),
            },
        )
        return dict(cursor.fetchall())


@dataclass(frozen=True)
class OverCap:
    """The first day on which one more person would take the programme over its cap."""

    day: date
    cap: int
    held: int


def first_day_over_cap(
    *, agreement: Agreement, start: date, end: date, adding: int = 1, ignore: int | None = None
) -> OverCap | None:
    """The first day in [start, end] on which occupied + reserved (+ those in transit, who hold
    their reservation from the departure) + `adding` would exceed the agreement's cap that day
    (its ramp-up step in force, else its contracted places); None when every day has room.

    One query: a generate_series of the days, each joined to the holds covering it and to the
    ramp-up step in force; `ignore` is a placement not to count (the case's own, on rebooking).
    """
    if end < start:
        end = start
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH holds AS (
                {AGREEMENT_HOLDS}
                  AND p.period && daterange(%(start)s, %(end)s, '[]')
            ),
            days AS (
                SELECT d::date AS day,
                       coalesce(
                           (SELECT r.places FROM cells_rampupcap r
                            WHERE r.agreement_id = %(agreement)s AND r.effective_from <= d::date
                            ORDER BY r.effective_from DESC LIMIT 1),
                           a.contracted_places
                       ) AS cap
                FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
                CROSS JOIN cells_agreement a
                WHERE a.id = %(agreement)s
            )
            SELECT days.day, days.cap, count(holds.period) AS held
            FROM days LEFT JOIN holds ON holds.period @> days.day
            GROUP BY days.day, days.cap
            HAVING count(holds.period) + %(adding)s > days.cap
            ORDER BY days.day
            LIMIT 1
            """,  # noqa: S608 (constant fragments only; every value is a parameter)
            {
                "agreement": agreement.pk,
                "ignore": ignore or 0,
                "start": start,
                "end": end,
                "adding": adding,
            },
        )
        row = cursor.fetchone()
    return OverCap(day=row[0], cap=int(row[1]), held=int(row[2])) if row else None


# --- Non-association breaches ---------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """Two people who must be kept apart (by a non-association in force) but are placed, on the
    day, in the same cell, unit or facility, by the non-association's scope."""

    non_association_id: int
    scope: str
    inmate_a_id: int
    inmate_a_name: str
    inmate_b_id: int
    inmate_b_name: str
    place_a: str
    place_b: str
    unit_a_id: int
    unit_b_id: int

    @property
    def scope_label(self) -> str:
        return str(NonAssociation.Scope(self.scope).label)

    def other(self, inmate_id: int) -> tuple[int, str]:
        if inmate_id == self.inmate_a_id:
            return self.inmate_b_id, self.inmate_b_name
        return self.inmate_a_id, self.inmate_a_name


# Both people in a place on the day (placements, not reservations; a cancelled one never held a
# place) and sharing what the non-association's scope keeps apart. One query whatever the number
# of rules: a GiST index serves each `period @>` probe.
_BREACHES_SQL = """
SELECT na.id, na.scope, a.id, a.name, b.id, b.name,
       ca.number || '-' || pla.number, cb.number || '-' || plb.number, ca.unit_id, cb.unit_id
FROM inmates_nonassociation na
JOIN inmates_inmate a ON a.id = na.inmate_a_id
JOIN inmates_inmate b ON b.id = na.inmate_b_id
JOIN cells_placement pa ON pa.inmate_id = na.inmate_a_id AND pa.kind = 'placement'
     AND pa.end_reason <> 'cancelled' AND pa.period @> %(on)s::date
JOIN cells_placement pb ON pb.inmate_id = na.inmate_b_id AND pb.kind = 'placement'
     AND pb.end_reason <> 'cancelled' AND pb.period @> %(on)s::date
JOIN cells_place pla ON pla.id = pa.place_id
JOIN cells_place plb ON plb.id = pb.place_id
JOIN cells_cell ca ON ca.id = pla.cell_id
JOIN cells_cell cb ON cb.id = plb.cell_id
JOIN cells_unit ua ON ua.id = ca.unit_id
JOIN cells_unit ub ON ub.id = cb.unit_id
WHERE na.active @> %(on)s::date
  AND CASE na.scope
        WHEN 'cell' THEN ca.id = cb.id
        WHEN 'unit' THEN ca.unit_id = cb.unit_id
        ELSE ua.facility_id = ub.facility_id
      END
  AND (%(inmates)s::bigint[] IS NULL OR na.inmate_a_id = ANY(%(inmates)s::bigint[])
       OR na.inmate_b_id = ANY(%(inmates)s::bigint[]))
  AND (%(unit)s::bigint IS NULL OR ca.unit_id = %(unit)s::bigint OR cb.unit_id = %(unit)s::bigint)
ORDER BY a.name, b.name, na.id
"""


def non_association_breaches(
    *, on: date, inmate_ids: Sequence[int] | None = None, unit_id: int | None = None
) -> list[Breach]:
    """Non-associations broken on `on`: both people placed where the scope keeps them apart.

    Shown until one of them moves or the non-association ends; narrowed to some people (their
    records) or to a unit (its page) when given."""
    with connection.cursor() as cursor:
        cursor.execute(
            _BREACHES_SQL,
            {
                "on": on,
                "inmates": list(inmate_ids) if inmate_ids is not None else None,
                "unit": unit_id,
            },
        )
        return [Breach(*row) for row in cursor.fetchall()]


def inmate_breaches(*, inmate_ids: Sequence[int], on: date | None = None) -> list[Breach]:
    """The breaches today that involve these people (their records show them)."""
    return non_association_breaches(on=on or timezone.localdate(), inmate_ids=inmate_ids)
