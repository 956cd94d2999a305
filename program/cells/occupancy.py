"""Occupancy: the roll for a day, the daily series, utilisation against what is paid for, and the
forecast. Pure reads; every function answers in a fixed number of queries, whatever the size.

The words mean the same everywhere (pages, CSV, API):

- *occupied*: a placement (kind "placement") whose half-open period [from, to) contains the day;
- *reserved*: a reservation, not cancelled, whose period contains the day (the expected arrival
  has come and the place is held for it);
- *out of use*: a place in a cell or place outage that contains the day. It is not free even when
  nobody is in it;
- *free*: none of these. A place counts once, in the first that applies of occupied, reserved,
  out of use and free, so the four always add up to the places.

The cap in force on a day is the latest ramp-up cap from that day or earlier, or every contracted
place when none is (as `selectors.ramp_up_cap_on`), and 0 before the facility opens. Danish
practice keeps prisons at or below 96 % (docs/domain-rules.md §5), so a day is a *warning* above
96 % of the cap and an *alert* at 100 %.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells import providers
from program.cells.models import Agreement, Facility, Outage, Place, Placement, RampUpCap, Unit
from program.cells.placement_sql import PLACEMENT_TO_FACILITY
from program.core.errors import ApplicationError

ARRIVALS_HORIZON_DAYS = 14
FORECAST_DAYS = 180
WARNING_ABOVE_PERCENT = 96
ALERT_AT_PERCENT = 100
MAX_WINDOW_YEARS = 20
DEFAULT_PERIOD_DAYS = 365

_CANCELLED = Placement.EndReason.CANCELLED.value
_PLACEMENT = Placement.Kind.PLACEMENT.value
_RESERVATION = Placement.Kind.RESERVATION.value


class PlaceStatus(TextChoices):
    OCCUPIED = "occupied", gettext_lazy("Occupied")
    RESERVED = "reserved", gettext_lazy("Reserved")
    OUT_OF_USE = "out_of_use", gettext_lazy("Out of use")
    FREE = "free", gettext_lazy("Free")


class Level(TextChoices):
    OK = "ok", gettext_lazy("Within the target")
    # The % here is a per cent sign, not a placeholder: xgettext must not mark it python-format.
    # xgettext:no-python-format
    WARNING = "warning", gettext_lazy("Above 96 % of the cap")
    ALERT = "alert", gettext_lazy("At or over the cap")


def capacity_level(*, held: int, cap: int) -> str:
    """Warning above 96 % of the cap, alert at 100 % or more, else ok (in integers, no floats).
    With a cap of 0 (before the facility opens) nobody held is ok, anybody an alert."""
    if cap <= 0:
        return Level.ALERT if held > 0 else Level.OK
    if held * 100 >= cap * ALERT_AT_PERCENT:
        return Level.ALERT
    if held * 100 > cap * WARNING_ABOVE_PERCENT:
        return Level.WARNING
    return Level.OK


_LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


def level_rank(level: str) -> int:
    """0 for ok, 1 for warning, 2 for alert: for picking the worst."""
    return _LEVEL_RANK[level]


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage rounded to one decimal, or None when whole is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February)."""
    leap_day = (day.month, day.day) == (2, 29)
    return day.replace(year=day.year + years, day=28 if leap_day else day.day)


def window_problem(start: date, end: date) -> str | None:
    """What is wrong with a window [start, end] (both days included), in words, or None."""
    if start > end:
        return _("The start date must be on or before the end date.")
    # Past year 9999 - MAX_WINDOW_YEARS, no window within the calendar can be too long.
    fits = start.year + MAX_WINDOW_YEARS > date.max.year
    if not fits and end >= add_years(start, MAX_WINDOW_YEARS):
        return _("Choose a period of at most %(years)s years.") % {"years": MAX_WINDOW_YEARS}
    return None


def period_or_default(
    start: date | None, end: date | None, *, today: date, days: int = DEFAULT_PERIOD_DAYS
) -> tuple[date, date]:
    """The period asked for, filled in: to today by default, and from `days` days back."""
    end = end or today
    if start is None:
        start = date.fromordinal(max(end.toordinal() - days + 1, 1))
    return start, end


def _check_window(start: date, end: date) -> None:
    problem = window_problem(start, end)
    if problem is not None:
        raise ApplicationError(problem, details={"window": [start.isoformat(), end.isoformat()]})


def facility_choices() -> QuerySet[Facility]:
    """Facilities to choose from on the dashboard, with their agreement (one query)."""
    return Facility.objects.select_related("agreement").order_by("name", "pk")


# --- The roll for a day -------------------------------------------------------------------------


@dataclass(frozen=True)
class RollCounts:
    places: int
    occupied: int
    reserved: int
    out_of_use: int
    free: int
    # Free places whose reservation arrives within ARRIVALS_HORIZON_DAYS after the day.
    arriving: int

    @property
    def net_vacancy(self) -> int:
        return self.free - self.arriving


@dataclass(frozen=True)
class UnitRoll(RollCounts):
    unit: Unit


@dataclass(frozen=True)
class Roll:
    facility: Facility
    on: date
    units: list[UnitRoll]
    total: RollCounts


def _out_of_use(on: date) -> Exists:
    """A place is out of use on a day when an outage of it, or of its cell, covers the day."""
    return Exists(
        Outage.objects.filter(
            Q(place=OuterRef("pk")) | Q(cell=OuterRef("cell_id")), period__contains=on
        )
    )


# One pass over the facility's places: each place's four facts computed once (the CTE is
# materialised, so PostgreSQL does not inline them into every FILTER below), then counted per unit
# with FILTER aggregates. Written with the ORM (an EXISTS alias per fact, used in six filtered
# counts) the same roll planned thirteen correlated subplans per place.
_ROLL_SQL = """
WITH facts AS MATERIALIZED (
    SELECT c.unit_id,
           EXISTS (SELECT 1 FROM cells_placement p
                   WHERE p.place_id = pl.id AND p.kind = %(placement)s
                     AND p.period @> %(on)s::date AND p.end_reason <> %(cancelled)s) AS occupied,
           EXISTS (SELECT 1 FROM cells_placement p
                   WHERE p.place_id = pl.id AND p.kind = %(reservation)s
                     AND p.period @> %(on)s::date AND p.end_reason <> %(cancelled)s) AS reserved,
           EXISTS (SELECT 1 FROM cells_outage o
                   WHERE (o.place_id = pl.id OR o.cell_id = pl.cell_id)
                     AND o.period @> %(on)s::date) AS out_of_use,
           EXISTS (SELECT 1 FROM cells_placement p
                   WHERE p.place_id = pl.id AND p.kind = %(reservation)s
                     AND lower(p.period) > %(on)s::date AND lower(p.period) <= %(horizon)s::date
                     AND p.end_reason <> %(cancelled)s) AS arrival
    FROM cells_place pl
    JOIN cells_cell c ON c.id = pl.cell_id
    JOIN cells_unit u ON u.id = c.unit_id
    WHERE u.facility_id = %(facility)s
)
SELECT unit_id,
       count(*),
       count(*) FILTER (WHERE occupied),
       count(*) FILTER (WHERE reserved AND NOT occupied),
       count(*) FILTER (WHERE out_of_use AND NOT occupied AND NOT reserved),
       count(*) FILTER (WHERE NOT occupied AND NOT reserved AND NOT out_of_use),
       count(*) FILTER (WHERE NOT occupied AND NOT reserved AND NOT out_of_use AND arrival)
FROM facts
GROUP BY unit_id
"""
_ROLL_KEYS = ("places", "occupied", "reserved", "out_of_use", "free", "arriving")


def roll_on(*, facility: Facility, on: date) -> Roll:
    """The roll of a facility on any day, past or present, per unit and in total (two queries).

    Places, occupied, reserved, out of use and free as the module docstring defines them, and the
    net vacancy: free places minus those whose reservation arrives within the next 14 days
    (after `on`, up to and including `on` + 14). Places are the ones recorded now; a place has no
    history of its own.
    """
    units = list(Unit.objects.filter(facility=facility).order_by("code", "pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            _ROLL_SQL,
            {
                "facility": facility.pk,
                "on": on,
                "horizon": on + timedelta(days=ARRIVALS_HORIZON_DAYS),
                "placement": _PLACEMENT,
                "reservation": _RESERVATION,
                "cancelled": _CANCELLED,
            },
        )
        counts = {row[0]: dict(zip(_ROLL_KEYS, row[1:], strict=True)) for row in cursor.fetchall()}
    empty = dict.fromkeys(_ROLL_KEYS, 0)
    unit_rolls = [UnitRoll(unit=unit, **counts.get(unit.pk, empty)) for unit in units]
    total = RollCounts(**{key: sum(getattr(u, key) for u in unit_rolls) for key in _ROLL_KEYS})
    return Roll(facility=facility, on=on, units=unit_rolls, total=total)


@dataclass(frozen=True)
class RollLine:
    place: Place  # with its cell and unit
    status: str  # a PlaceStatus value
    placement: Placement | None  # with its inmate; the placement or reservation holding the day
    expected_release: date | None

    @property
    def since(self) -> date | None:
        return self.placement.period.lower if self.placement is not None else None

    @property
    def status_label(self) -> str:
        return str(PlaceStatus(self.status).label)


def _latest_full_term() -> F:
    # The combined full-term date of all the person's judgments (docs/sentences.md).
    return F("inmate__release_on")


def nominal_roll(*, facility: Facility, on: date) -> list[RollLine]:
    """Every place of the facility on a day, in unit, cell and place order, with who holds it
    (two queries). The expected release is the placement's own, or else the full-term date of the
    inmate's latest judgment."""
    places = (
        Place.objects.filter(cell__unit__facility=facility)
        .select_related("cell__unit")
        .annotate(is_out_of_use=_out_of_use(on))
        .order_by("cell__unit__code", "cell__number", "number")
    )
    holders = {
        p.place_id: p
        for p in Placement.objects.filter(place__cell__unit__facility=facility, period__contains=on)
        .exclude(end_reason=_CANCELLED)
        .select_related("inmate")
        .annotate(expected_release=Coalesce("expected_release_on", _latest_full_term()))
    }
    lines = []
    for place in places:
        holder = holders.get(place.pk)
        if holder is not None:
            status = (
                PlaceStatus.OCCUPIED if holder.kind == _PLACEMENT else PlaceStatus.RESERVED
            ).value
        elif place.is_out_of_use:
            status = PlaceStatus.OUT_OF_USE.value
        else:
            status = PlaceStatus.FREE.value
        lines.append(
            RollLine(
                place=place,
                status=status,
                placement=holder,
                expected_release=holder.expected_release if holder else None,
            )
        )
    return lines


# --- Over time ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesDay:
    day: date
    occupied: int
    reserved: int
    cap: int
    contracted: int


# Stays of one agreement (and optionally one facility) that hold days: every placement and every
# reservation that is not cancelled. Their periods are half-open, [starts_on, ends_on).
_STAYS = f"""
    SELECT p.kind, lower(p.period) AS starts_on, upper(p.period) AS ends_on,
           p.inmate_id, p.expected_release_on
    {PLACEMENT_TO_FACILITY}
    WHERE f.agreement_id = %(agreement)s
      AND (%(facility)s::bigint IS NULL OR f.id = %(facility)s::bigint)
      AND p.end_reason <> %(cancelled)s
      AND p.period && daterange(%(first)s::date, %(last)s::date, '[]')
"""


def _daily_sql(stays: str) -> str:
    """Per day from %(first)s to %(last)s: how many `stays` of each kind hold it, the cap in force
    and the contracted places.

    A stay holds day d when starts_on <= d < ends_on (ends_on NULL: for good), which is
    `period @> d`. Joining every day to every stay with that test costs days × stays and took
    seconds for a 20-year window; instead each stay adds 1 on its first day in the window and
    takes 1 away on the day it ends, and a running sum over the generated days gives the same
    counts in time proportional to days + stays.
    """
    return f"""
WITH stays AS MATERIALIZED ({stays}),
live AS (
    SELECT kind, greatest(starts_on, %(first)s::date) AS from_day, ends_on
    FROM stays
    WHERE starts_on <= %(last)s::date
      AND (ends_on IS NULL OR ends_on > greatest(starts_on, %(first)s::date))
),
changes AS (
    SELECT kind, from_day AS day, 1 AS delta FROM live
    UNION ALL
    SELECT kind, ends_on, -1 FROM live WHERE ends_on <= %(last)s::date
),
per_day AS (
    SELECT day,
           sum(delta) FILTER (WHERE kind = %(placement)s) AS placements,
           sum(delta) FILTER (WHERE kind = %(reservation)s) AS reservations
    FROM changes
    GROUP BY day
)
SELECT d.day,
       (sum(coalesce(per_day.placements, 0)) OVER running)::integer,
       (sum(coalesce(per_day.reservations, 0)) OVER running)::integer,
       CASE WHEN opening.opens_on IS NOT NULL AND d.day < opening.opens_on THEN 0
            ELSE coalesce(cap.places, a.contracted_places) END,
       a.contracted_places
FROM cells_agreement a
-- No place can be used before the facility opens: the cap is 0 until then. Over the agreement,
-- until the first of its facilities opens; a facility without an opening date counts as open.
CROSS JOIN LATERAL (
    SELECT CASE WHEN count(*) = 0 OR bool_or(f.opens_on IS NULL) THEN NULL
                ELSE min(f.opens_on) END AS opens_on
    FROM cells_facility f
    WHERE f.agreement_id = a.id
      AND (%(facility)s::bigint IS NULL OR f.id = %(facility)s::bigint)
) opening
CROSS JOIN LATERAL (
    SELECT g::date AS day
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS g
) d
LEFT JOIN per_day ON per_day.day = d.day
-- The cap in force: the latest ramp-up cap from that day or earlier, else the contracted places.
LEFT JOIN LATERAL (
    SELECT r.places FROM cells_rampupcap r
    WHERE r.agreement_id = a.id AND r.effective_from <= d.day
    ORDER BY r.effective_from DESC
    LIMIT 1
) cap ON true
WHERE a.id = %(agreement)s
WINDOW running AS (ORDER BY d.day)
ORDER BY d.day
"""  # noqa: S608 (constant fragments only; every value is a parameter)


def _scope(agreement: Agreement | None, facility: Facility | None) -> tuple[int, int | None]:
    if (agreement is None) == (facility is None):
        raise TypeError("Pass either an agreement or a facility.")
    if facility is not None:
        return facility.agreement_id, facility.pk
    assert agreement is not None  # noqa: S101 (narrowing for the type checker)
    return agreement.pk, None


def _params(
    agreement_id: int, facility_id: int | None, *, first: date, last: date, **extra: Any
) -> dict[str, Any]:
    return {
        "agreement": agreement_id,
        "facility": facility_id,
        "first": first,
        "last": last,
        "cancelled": _CANCELLED,
        "placement": _PLACEMENT,
        "reservation": _RESERVATION,
        **extra,
    }


_SERIES_SQL = _daily_sql(_STAYS)


def occupancy_series(
    *,
    start: date,
    end: date,
    agreement: Agreement | None = None,
    facility: Facility | None = None,
) -> list[SeriesDay]:
    """Occupied and reserved places on each day from `start` to `end` (both included), with the
    cap in force and the contracted places alongside.

    One query, computed by PostgreSQL over generate_series of the days, however long the window
    (up to MAX_WINDOW_YEARS). Pass an agreement for all its facilities, or one facility for its
    own places against its agreement's cap.
    """
    _check_window(start, end)
    agreement_id, facility_id = _scope(agreement, facility)
    with connection.cursor() as cursor:
        cursor.execute(_SERIES_SQL, _params(agreement_id, facility_id, first=start, last=end))
        return [SeriesDay(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Utilisation:
    start: date
    end: date
    days: int
    occupied_place_days: int
    contracted_place_days: int
    # Paid for and nobody in them (a reserved place is empty too): from the day rent starts,
    # and never with per-inmate-month pricing, which pays for occupied place-days only.
    paid_but_empty_place_days: int
    percent: Decimal | None
    # Days of the window rent is owed for (from the day rent starts).
    rent_days: int = 0


# Each placement's days inside the window: the length of its period intersected with the window.
_OCCUPIED_PLACE_DAYS_SQL = f"""
WITH stays AS MATERIALIZED ({_STAYS}
      AND p.kind = %(placement)s
)
SELECT coalesce(sum(
    least(coalesce(ends_on, %(last)s::date + 1), %(last)s::date + 1)
    - greatest(starts_on, %(first)s::date)
), 0)
FROM stays
"""  # noqa: S608 (constant fragments only; every value is a parameter)


def _occupied_place_days(agreement: Agreement, first: date, last: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _OCCUPIED_PLACE_DAYS_SQL, _params(agreement.pk, None, first=first, last=last)
        )
        return int(cursor.fetchone()[0])


def utilisation(*, agreement: Agreement, start: date, end: date) -> Utilisation:
    """Occupied place-days from `start` to `end` (both included) against the contracted places
    on every one of those days (one query, two when rent starts inside the window).

    Paid-but-empty place-days are contracted less occupied place-days on the days rent is owed
    for: from the day rent starts (the pricing terms, through program.cells.providers), none
    before it, and none at all with per-inmate-month pricing. With no pricing terms recorded,
    every day of the window counts as paid for. A reserved place is paid for and empty.
    """
    _check_window(start, end)
    occupied = _occupied_place_days(agreement, start, end)
    days = (end - start).days + 1
    contracted = agreement.contracted_places * days
    terms = providers.rent_terms(agreement)
    if terms is None:
        rent_days, paid_occupied = days, occupied
    elif not terms.pays_for_empty_places or terms.starts_on is None or terms.starts_on > end:
        rent_days, paid_occupied = 0, 0
    elif terms.starts_on <= start:
        rent_days, paid_occupied = days, occupied
    else:
        rent_days = (end - terms.starts_on).days + 1
        paid_occupied = _occupied_place_days(agreement, terms.starts_on, end)
    if terms is not None and not terms.pays_for_empty_places and terms.starts_on is not None:
        # Priced per inmate-month: the rent days are counted, but every paid day is occupied.
        rent_days = max((end - max(start, terms.starts_on)).days + 1, 0)
    paid_empty = 0
    if terms is None or terms.pays_for_empty_places:
        paid_empty = max(agreement.contracted_places * rent_days - paid_occupied, 0)
    return Utilisation(
        start=start,
        end=end,
        days=days,
        occupied_place_days=occupied,
        contracted_place_days=contracted,
        paid_but_empty_place_days=paid_empty,
        percent=percent(occupied, contracted),
        rent_days=rent_days,
    )


@dataclass(frozen=True)
class ForecastDay:
    day: date
    placed: int  # placements projected to be there
    arrived: int  # reservations projected to have arrived
    cap: int
    contracted: int

    @property
    def projected(self) -> int:
        return self.placed + self.arrived

    @property
    def percent_of_cap(self) -> Decimal | None:
        return percent(self.projected, self.cap)

    @property
    def level(self) -> str:
        return capacity_level(held=self.projected, cap=self.cap)


# The stays as they are expected to run: to their actual end if they have one, else to the
# expected release (the placement's own, or the full-term date of the inmate's latest judgment),
# else for good. An open stay whose expected release has passed is there today (the first day)
# and projected to leave the day after.
_PROJECTED_STAYS = f"""
    SELECT s.kind, s.starts_on,
           CASE
               WHEN s.ends_on IS NOT NULL THEN s.ends_on
               WHEN release.on_day IS NULL THEN NULL
               ELSE greatest(release.on_day, %(first)s::date + 1)
           END AS ends_on
    FROM (
        {_STAYS}
        UNION ALL
        -- Decided and scheduled people not yet holding a place, at their planned arrival.
        SELECT %(reservation)s, x.arrives_on, NULL::date, x.inmate_id, NULL::date
        FROM unnest(%(arrival_inmates)s::bigint[], %(arrival_days)s::date[])
            AS x(inmate_id, arrives_on)
    ) s
    CROSS JOIN LATERAL (
        SELECT coalesce(s.expected_release_on, (
            SELECT i.release_on FROM inmates_inmate i WHERE i.id = s.inmate_id
        )) AS on_day
    ) release
"""  # noqa: S608 (constant fragments only; every value is a parameter)

_FORECAST_SQL = _daily_sql(_PROJECTED_STAYS)


def forecast(*, agreement: Agreement, today: date, days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Projected occupancy today and on each of the next `days` days (one query).

    Today's row is what is held today. After that, current placements leave on their expected
    release (the placement's own, or the full-term date of the inmate's latest judgment; never,
    if neither is known), and reservations arrive on their start date and then stay the same way.
    So do the people decided for transfer who hold no reservation yet, from their planned
    arrival (program.cells.providers; the transfer cases say when).
    Each day carries its level against the cap in force: warning above 96 %, alert at 100 %.
    """
    last = today + timedelta(days=days)
    _check_window(today, last)
    # Not there today whatever the plan said: a late one is projected to arrive tomorrow.
    arrivals = [
        (a.inmate_id, max(a.arrives_on, today + timedelta(days=1)))
        for a in providers.expected_arrivals(agreement, today)
    ]
    params = _params(
        agreement.pk,
        None,
        first=today,
        last=last,
        arrival_inmates=[inmate for inmate, _day in arrivals],
        arrival_days=[day for _inmate, day in arrivals],
    )
    with connection.cursor() as cursor:
        cursor.execute(_FORECAST_SQL, params)
        return [ForecastDay(*row) for row in cursor.fetchall()]


def worst_day(days: list[ForecastDay]) -> ForecastDay | None:
    """The first day at the highest level reached (alert over warning), or None if all are ok."""
    for level in (Level.ALERT, Level.WARNING):
        for day in days:
            if day.level == level:
                return day
    return None


# --- Every agreement today (home panel) ---------------------------------------------------------


@dataclass(frozen=True)
class AgreementToday:
    agreement: Agreement
    occupied: int
    reserved: int
    cap: int

    @property
    def percent_of_cap(self) -> Decimal | None:
        return percent(self.occupied, self.cap)

    @property
    def level(self) -> str:
        return capacity_level(held=self.occupied + self.reserved, cap=self.cap)


def agreements_today(*, on: date) -> list[AgreementToday]:
    """Each agreement that has a facility, with its occupied and reserved places and the cap in
    force on the day (one query)."""
    held = (
        Placement.objects.filter(
            place__cell__unit__facility__agreement=OuterRef("pk"), period__contains=on
        )
        .exclude(end_reason=_CANCELLED)
        .order_by()
        .values("place__cell__unit__facility__agreement")
    )

    def count(kind: str) -> Coalesce:
        rows = held.filter(kind=kind).annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    cap = (
        RampUpCap.objects.filter(agreement=OuterRef("pk"), effective_from__lte=on)
        .order_by("-effective_from")
        .values("places")[:1]
    )
    # Open on the day: a facility that opened by then, or one with no opening date recorded.
    open_facility = Facility.objects.filter(agreement=OuterRef("pk")).filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=on)
    )
    rows = (
        Agreement.objects.filter(Exists(Facility.objects.filter(agreement=OuterRef("pk"))))
        .annotate(
            occupied_on_day=count(_PLACEMENT),
            reserved_on_day=count(_RESERVATION),
            cap_on_day=Case(
                When(~Exists(open_facility), then=Value(0)),
                default=Coalesce(
                    Subquery(cap, output_field=IntegerField()),
                    F("contracted_places"),
                    output_field=IntegerField(),
                ),
                output_field=IntegerField(),
            ),
        )
        .order_by("signed_on", "name")
    )
    return [
        AgreementToday(
            agreement=row,
            occupied=row.occupied_on_day,
            reserved=row.reserved_on_day,
            cap=row.cap_on_day,
        )
        for row in rows
    ]
