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
place when none is (as `selectors.ramp_up_cap_on`). Danish practice keeps prisons at or below
96 % (programme-facts §9.5), so a day is a *warning* above 96 % of the cap and an *alert* at 100 %.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells.models import Agreement, Facility, Outage, Place, Placement, RampUpCap, Unit
from program.core.errors import ApplicationError
from program.inmates.models import Judgment

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
    WARNING = "warning", gettext_lazy("Above 96 % of the cap")
    ALERT = "alert", gettext_lazy("At or over the cap")


def capacity_level(*, held: int, cap: int) -> str:
    """Warning above 96 % of the cap, alert at 100 % or more, else ok (in integers, no floats)."""
    if held * 100 >= cap * ALERT_AT_PERCENT:
        return Level.ALERT
    if held * 100 > cap * WARNING_ABOVE_PERCENT:
        return Level.WARNING
    return Level.OK


def level_rank(level: str) -> int:
    """0 for ok, 1 for warning, 2 for alert: for picking the worst."""
    return list(Level.values).index(level)


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


def _place_flags(on: date) -> dict[str, Exists]:
    held = Placement.objects.filter(place=OuterRef("pk"), period__contains=on).exclude(
        end_reason=_CANCELLED
    )
    return {
        "is_occupied": Exists(held.filter(kind=_PLACEMENT)),
        "is_reserved": Exists(held.filter(kind=_RESERVATION)),
        "is_out_of_use": Exists(
            Outage.objects.filter(
                Q(place=OuterRef("pk")) | Q(cell=OuterRef("cell_id")), period__contains=on
            )
        ),
        "has_arrival": Exists(
            Placement.objects.filter(
                place=OuterRef("pk"),
                kind=_RESERVATION,
                period__startswith__gt=on,
                period__startswith__lte=on + timedelta(days=ARRIVALS_HORIZON_DAYS),
            ).exclude(end_reason=_CANCELLED)
        ),
    }


# The first that applies of occupied, reserved, out of use, free (see the module docstring).
_OCCUPIED = Q(is_occupied=True)
_RESERVED = Q(is_reserved=True) & ~_OCCUPIED
_OUT_OF_USE = Q(is_out_of_use=True) & ~Q(is_occupied=True) & ~Q(is_reserved=True)
_FREE = Q(is_occupied=False, is_reserved=False, is_out_of_use=False)


def roll_on(*, facility: Facility, on: date) -> Roll:
    """The roll of a facility on any day, past or present, per unit and in total (two queries).

    Places, occupied, reserved, out of use and free as the module docstring defines them, and the
    net vacancy: free places minus those whose reservation arrives within the next 14 days
    (after `on`, up to and including `on` + 14). Places are the ones recorded now; a place has no
    history of its own.
    """
    units = list(Unit.objects.filter(facility=facility).order_by("code", "pk"))
    rows = (
        Place.objects.filter(cell__unit__facility=facility)
        .alias(**_place_flags(on))
        .values("cell__unit_id")
        .annotate(
            places=Count("pk"),
            occupied=Count("pk", filter=_OCCUPIED),
            reserved=Count("pk", filter=_RESERVED),
            out_of_use=Count("pk", filter=_OUT_OF_USE),
            free=Count("pk", filter=_FREE),
            arriving=Count("pk", filter=_FREE & Q(has_arrival=True)),
        )
        .order_by()
    )
    keys = ("places", "occupied", "reserved", "out_of_use", "free", "arriving")
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        counts[values.pop("cell__unit_id")] = values
    empty = dict.fromkeys(keys, 0)
    unit_rolls = [UnitRoll(unit=unit, **counts.get(unit.pk, empty)) for unit in units]
    total = RollCounts(**{key: sum(getattr(u, key) for u in unit_rolls) for key in keys})
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


def _latest_full_term() -> Subquery:
    return Subquery(
        Judgment.objects.filter(inmate=OuterRef("inmate_id"))
        .order_by("-judgment_date", "-pk")
        .values("full_term_date")[:1],
        output_field=DateField(),
    )


def nominal_roll(*, facility: Facility, on: date) -> list[RollLine]:
    """Every place of the facility on a day, in unit, cell and place order, with who holds it
    (two queries). The expected release is the placement's own, or else the full-term date of the
    inmate's latest judgment."""
    places = (
        Place.objects.filter(cell__unit__facility=facility)
        .select_related("cell__unit")
        .annotate(is_out_of_use=_place_flags(on)["is_out_of_use"])
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
_STAYS = """
    SELECT p.kind, lower(p.period) AS starts_on, upper(p.period) AS ends_on,
           p.inmate_id, p.expected_release_on
    FROM cells_placement p
    JOIN cells_place pl ON pl.id = p.place_id
    JOIN cells_cell c ON c.id = pl.cell_id
    JOIN cells_unit u ON u.id = c.unit_id
    JOIN cells_facility f ON f.id = u.facility_id
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
       coalesce(cap.places, a.contracted_places),
       a.contracted_places
FROM cells_agreement a
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
    # Paid for and nobody in them (a reserved place is empty too).
    paid_but_empty_place_days: int
    percent: Decimal | None


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


def utilisation(*, agreement: Agreement, start: date, end: date) -> Utilisation:
    """Occupied place-days from `start` to `end` (both included) against the contracted places
    on every one of those days, which are owed whether used or not (one query).

    Paid-but-empty place-days are the difference; a reserved place is paid for and empty.
    """
    _check_window(start, end)
    with connection.cursor() as cursor:
        cursor.execute(_OCCUPIED_PLACE_DAYS_SQL, _params(agreement.pk, None, first=start, last=end))
        occupied = int(cursor.fetchone()[0])
    days = (end - start).days + 1
    contracted = agreement.contracted_places * days
    return Utilisation(
        start=start,
        end=end,
        days=days,
        occupied_place_days=occupied,
        contracted_place_days=contracted,
        paid_but_empty_place_days=max(contracted - occupied, 0),
        percent=percent(occupied, contracted),
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
    FROM ({_STAYS}) s
    CROSS JOIN LATERAL (
        SELECT coalesce(s.expected_release_on, (
            SELECT j.full_term_date FROM inmates_judgment j
            WHERE j.inmate_id = s.inmate_id
            ORDER BY j.judgment_date DESC, j.id DESC
            LIMIT 1
        )) AS on_day
    ) release
"""  # noqa: S608 (constant fragments only; every value is a parameter)

_FORECAST_SQL = _daily_sql(_PROJECTED_STAYS)


def forecast(*, agreement: Agreement, today: date, days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Projected occupancy today and on each of the next `days` days (one query).

    Today's row is what is held today. After that, current placements leave on their expected
    release (the placement's own, or the full-term date of the inmate's latest judgment; never,
    if neither is known), and reservations arrive on their start date and then stay the same way.
    Each day carries its level against the cap in force: warning above 96 %, alert at 100 %.
    """
    last = today + timedelta(days=days)
    _check_window(today, last)
    with connection.cursor() as cursor:
        cursor.execute(_FORECAST_SQL, _params(agreement.pk, None, first=today, last=last))
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
    rows = (
        Agreement.objects.filter(Exists(Facility.objects.filter(agreement=OuterRef("pk"))))
        .annotate(
            occupied_on_day=count(_PLACEMENT),
            reserved_on_day=count(_RESERVATION),
            cap_on_day=Coalesce(
                Subquery(cap, output_field=IntegerField()),
                F("contracted_places"),
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
