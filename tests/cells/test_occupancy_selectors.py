"""Occupancy selectors: the roll for a day, the daily series, utilisation and the forecast."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any, cast

import pytest
from django.contrib.postgres.fields.ranges import DateRange

from program.cells import occupancy
from program.cells.models import Agreement, Cell, Facility, Outage, Place, Placement, Unit
from program.core.errors import ApplicationError
from program.inmates.models import Inmate, Judgment
from tests.factories import (
    AgreementFactory,
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    RampUpCapFactory,
    UnitFactory,
)

DAY = date(2027, 6, 15)
_numbers = count(1)


# --- Builders shared by the occupancy tests (imported by the page and API tests) ----------------


def an_agreement(**fields: Any) -> Agreement:
    return cast(Agreement, AgreementFactory(**fields))


def a_facility(**fields: Any) -> Facility:
    return cast(Facility, FacilityFactory(**fields))


def a_unit(**fields: Any) -> Unit:
    return cast(Unit, UnitFactory(**fields))


def make_inmate(name: str = "Jens Hansen") -> Inmate:
    return Inmate.objects.create(
        case_number=f"KF-{next(_numbers):06d}",
        name=name,
        date_of_birth=date(1990, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Storstrøm Fængsel",
    )


def place_in(
    place: Place,
    start: date,
    end: date | None = None,
    *,
    kind: str = Placement.Kind.PLACEMENT,
    inmate: Inmate | None = None,
    **fields: object,
) -> Placement:
    return Placement.objects.create(
        inmate=inmate or make_inmate(),
        place=place,
        kind=kind,
        period=DateRange(start, end),
        reason="Transfer decision",
        **fields,
    )


def reserve(place: Place, arrival: date, **fields: Any) -> Placement:
    return place_in(place, arrival, kind=Placement.Kind.RESERVATION, **fields)


def make_places(unit: Unit, n: int) -> list[Place]:
    """n single cells with one place each, in bulk (a few queries whatever n is)."""
    start = Cell.objects.filter(unit=unit).count()
    cells = Cell.objects.bulk_create(
        Cell(
            unit=unit,
            number=f"{unit.code}-{start + i:03d}",
            kind=Cell.Kind.SINGLE,
            floor_area_m2=Decimal("7.50"),
            shortest_wall_m=Decimal("2.40"),
            ceiling_height_m=Decimal("2.80"),
        )
        for i in range(1, n + 1)
    )
    return Place.objects.bulk_create(Place(cell=cell, number=1) for cell in cells)


def fill(places: list[Place], start: date, end: date | None = None, **fields: object) -> None:
    """One placement per place, in bulk."""
    inmates = Inmate.objects.bulk_create(
        Inmate(
            case_number=f"KF-{next(_numbers):06d}",
            name=f"Inmate {i}",
            date_of_birth=date(1990, 1, 1),
            sex="M",
            security_level="low",
            home_institution="Storstrøm Fængsel",
        )
        for i in range(len(places))
    )
    Placement.objects.bulk_create(
        Placement(
            inmate=inmate,
            place=place,
            kind=Placement.Kind.PLACEMENT,
            period=DateRange(start, end),
            reason="Transfer decision",
            **fields,
        )
        for inmate, place in zip(inmates, places, strict=True)
    )


def facility_with_units(*codes: str, places_each: int = 4) -> tuple[Facility, dict[str, list]]:
    facility = a_facility()
    units = {}
    for code in codes:
        unit = a_unit(facility=facility, code=code)
        units[code] = make_places(unit, places_each)
    return facility, units


# --- The roll ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roll_counts_each_unit_and_the_total() -> None:
    facility, units = facility_with_units("A", "B")
    a, b = units["A"], units["B"]
    place_in(a[0], DAY - timedelta(days=30))  # occupied
    reserve(a[1], DAY - timedelta(days=1))  # reserved: arrival came, not admitted yet
    Outage.objects.create(place=a[2], reason="repair", period=DateRange(DAY, None))
    place_in(b[0], DAY - timedelta(days=30), DAY)  # left this morning: free
    reserve(b[1], DAY + timedelta(days=10))  # arrives within 14 days

    roll = occupancy.roll_on(facility=facility, on=DAY)

    unit_a, unit_b = roll.units
    assert unit_a.unit.code == "A"
    assert (unit_a.places, unit_a.occupied, unit_a.reserved, unit_a.out_of_use, unit_a.free) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert (unit_b.occupied, unit_b.free, unit_b.arriving, unit_b.net_vacancy) == (0, 4, 1, 3)
    total = roll.total
    assert (total.places, total.occupied, total.reserved, total.out_of_use) == (8, 1, 1, 1)
    assert (total.free, total.arriving, total.net_vacancy) == (5, 1, 4)


@pytest.mark.django_db
def test_roll_for_a_past_date_counts_who_was_there_then() -> None:
    facility, units = facility_with_units("A")
    place_in(units["A"][0], date(2025, 1, 1), date(2025, 3, 1))
    place_in(units["A"][1], date(2025, 2, 10))

    assert occupancy.roll_on(facility=facility, on=date(2025, 2, 1)).total.occupied == 1
    assert occupancy.roll_on(facility=facility, on=date(2025, 2, 28)).total.occupied == 2
    # Half-open: the day of leaving is not a day held.
    assert occupancy.roll_on(facility=facility, on=date(2025, 3, 1)).total.occupied == 1
    assert occupancy.roll_on(facility=facility, on=date(2024, 12, 31)).total.occupied == 0


@pytest.mark.django_db
def test_out_of_use_places_are_not_counted_free_even_when_empty() -> None:
    facility = a_facility()
    unit = a_unit(facility=facility)
    shared = CellFactory(unit=unit, kind=Cell.Kind.SHARED, floor_area_m2=Decimal("9.00"))
    PlaceFactory(cell=shared, number=1)
    PlaceFactory(cell=shared, number=2)
    single = PlaceFactory(cell=CellFactory(unit=unit))
    Outage.objects.create(
        cell=shared, reason="renovation", period=DateRange(DAY, DAY + timedelta(9))
    )
    Outage.objects.create(place=single, reason="repair", period=DateRange(DAY - timedelta(5), DAY))

    on_day = occupancy.roll_on(facility=facility, on=DAY).total
    assert (on_day.out_of_use, on_day.free) == (2, 1)  # the single place came back this morning
    before = occupancy.roll_on(facility=facility, on=DAY - timedelta(days=1)).total
    assert (before.out_of_use, before.free) == (1, 2)


@pytest.mark.django_db
def test_cancelled_reservations_hold_nothing() -> None:
    facility, units = facility_with_units("A")
    reserve(units["A"][0], DAY - timedelta(days=2), end_reason=Placement.EndReason.CANCELLED)
    reserve(units["A"][1], DAY + timedelta(days=3), end_reason=Placement.EndReason.CANCELLED)

    total = occupancy.roll_on(facility=facility, on=DAY).total
    assert (total.reserved, total.free, total.arriving, total.net_vacancy) == (0, 4, 0, 4)


@pytest.mark.django_db
def test_arrivals_count_up_to_fourteen_days_ahead() -> None:
    facility, units = facility_with_units("A")
    reserve(units["A"][0], DAY + timedelta(days=14))
    reserve(units["A"][1], DAY + timedelta(days=15))

    assert occupancy.roll_on(facility=facility, on=DAY).total.arriving == 1


@pytest.mark.django_db
@pytest.mark.parametrize("places", [1, 40])
def test_the_roll_takes_two_queries_whatever_the_size(django_assert_num_queries, places) -> None:
    facility, units = facility_with_units("A", "B", places_each=places)
    fill(units["A"], DAY - timedelta(days=3))
    # units; places counted by status per unit
    with django_assert_num_queries(2):
        roll = occupancy.roll_on(facility=facility, on=DAY)
    assert roll.total.occupied == places


@pytest.mark.django_db
def test_the_nominal_roll_names_who_holds_each_place(django_assert_num_queries) -> None:
    facility, units = facility_with_units("A")
    a = units["A"]
    with_date = place_in(a[0], DAY - timedelta(days=30), expected_release_on=date(2028, 1, 1))
    from_judgment = place_in(a[1], DAY - timedelta(days=5), inmate=make_inmate("Ole Olsen"))
    for judged_on, days in ((date(2020, 1, 1), 100), (date(2026, 1, 1), 1000)):
        Judgment.objects.create(
            inmate=from_judgment.inmate,
            court="Københavns Byret",
            judgment_date=judged_on,
            sentence_type="fixed_term",
            length_days=days,
            sentence_start=judged_on,
        )
    Outage.objects.create(place=a[3], reason="repair", period=DateRange(DAY, None))

    # places with cell, unit and outage flag; placements with inmate and latest judgment
    with django_assert_num_queries(2):
        lines = occupancy.nominal_roll(facility=facility, on=DAY)

    assert [line.status for line in lines] == ["occupied", "occupied", "free", "out_of_use"]
    assert lines[0].placement == with_date
    assert lines[0].since == DAY - timedelta(days=30)
    assert lines[0].expected_release == date(2028, 1, 1)
    assert lines[1].placement is not None
    assert lines[1].placement.inmate.name == "Ole Olsen"
    assert lines[1].expected_release == date(2026, 1, 1) + timedelta(days=1000)  # latest judgment
    assert lines[2].placement is None
    assert lines[2].since is None


# --- The series ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_series_is_one_query_over_years(django_assert_num_queries) -> None:
    agreement = an_agreement(contracted_places=300)
    RampUpCapFactory(agreement=agreement, effective_from=date(2027, 4, 1), places=100)
    RampUpCapFactory(agreement=agreement, effective_from=date(2028, 1, 1), places=200)
    facility = a_facility(agreement=agreement)
    places = make_places(a_unit(facility=facility), 6)
    place_in(places[0], date(2027, 4, 1))  # open-ended
    place_in(places[1], date(2027, 4, 1), date(2027, 5, 1))
    reserve(places[2], date(2027, 4, 20))
    reserve(places[3], date(2027, 4, 10), end_reason=Placement.EndReason.CANCELLED)
    other = a_facility(agreement=an_agreement())  # another agreement's placements never count
    place_in(make_places(a_unit(facility=other), 1)[0], date(2027, 4, 1))

    # generate_series over the days, left-joined to placements, with the cap in force each day
    with django_assert_num_queries(1):
        series = occupancy.occupancy_series(
            agreement=agreement, start=date(2026, 1, 1), end=date(2029, 12, 31)
        )

    assert len(series) == (date(2029, 12, 31) - date(2026, 1, 1)).days + 1
    by_day = {row.day: row for row in series}
    assert by_day[date(2026, 1, 1)] == occupancy.SeriesDay(date(2026, 1, 1), 0, 0, 300, 300)
    assert by_day[date(2027, 4, 1)] == occupancy.SeriesDay(date(2027, 4, 1), 2, 0, 100, 300)
    assert by_day[date(2027, 4, 20)] == occupancy.SeriesDay(date(2027, 4, 20), 2, 1, 100, 300)
    assert by_day[date(2027, 5, 1)] == occupancy.SeriesDay(date(2027, 5, 1), 1, 1, 100, 300)
    assert by_day[date(2029, 12, 31)] == occupancy.SeriesDay(date(2029, 12, 31), 1, 1, 200, 300)


@pytest.mark.django_db
def test_the_series_agrees_with_counting_period_contains_day_by_day() -> None:
    """Stays starting, ending and spanning across both edges of the window, counted both ways."""
    agreement = an_agreement()
    places = make_places(a_unit(facility=a_facility(agreement=agreement)), 8)
    start, end = date(2027, 3, 1), date(2027, 4, 30)
    place_in(places[0], date(2026, 1, 1), date(2027, 3, 1))  # ends on the first day
    place_in(places[1], date(2026, 1, 1), date(2027, 3, 2))  # holds only the first day
    place_in(places[2], date(2027, 3, 10), date(2027, 3, 11))  # one night
    place_in(places[3], date(2027, 4, 30))  # starts on the last day
    place_in(places[4], date(2027, 5, 1))  # starts after the window
    place_in(places[5], date(2026, 6, 1), date(2027, 6, 1))  # spans the window
    reserve(places[6], date(2027, 3, 15))
    place_in(places[7], date(2027, 3, 5), date(2027, 4, 1))
    place_in(places[7], date(2027, 4, 1), date(2027, 4, 3), end_reason="moved")

    series = occupancy.occupancy_series(agreement=agreement, start=start, end=end)

    held = Placement.objects.exclude(end_reason=Placement.EndReason.CANCELLED)
    for row in series:
        on_day = held.filter(period__contains=row.day)
        assert row.occupied == on_day.filter(kind="placement").count(), row.day
        assert row.reserved == on_day.filter(kind="reservation").count(), row.day


@pytest.mark.django_db
def test_a_facility_series_counts_only_its_places() -> None:
    agreement = an_agreement()
    first, second = a_facility(agreement=agreement), a_facility(agreement=agreement)
    place_in(make_places(a_unit(facility=first), 1)[0], DAY)
    place_in(make_places(a_unit(facility=second), 1)[0], DAY)

    (row,) = occupancy.occupancy_series(facility=first, start=DAY, end=DAY)
    assert row.occupied == 1
    (row,) = occupancy.occupancy_series(agreement=agreement, start=DAY, end=DAY)
    assert row.occupied == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2027, 2, 1), date(2027, 1, 1), "on or before"),
        (date(2000, 1, 1), date(2020, 1, 1), "at most 20 years"),
    ],
)
def test_a_bad_window_is_refused_in_words(start, end, message) -> None:
    agreement = an_agreement()
    with pytest.raises(ApplicationError, match=message):
        occupancy.occupancy_series(agreement=agreement, start=start, end=end)


def test_a_window_of_up_to_twenty_years_is_accepted() -> None:
    assert occupancy.window_problem(date(2000, 1, 1), date(2019, 12, 31)) is None
    assert occupancy.window_problem(date(2000, 1, 1), date(2020, 1, 1)) is not None


# --- Utilisation ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_half_the_contracted_places_used_all_year_is_fifty_percent(
    django_assert_num_queries,
) -> None:
    agreement = an_agreement(contracted_places=300)
    unit = a_unit(facility=a_facility(agreement=agreement))
    places = make_places(unit, 151)
    fill(places[:100], date(2026, 6, 1))  # open-ended, from before the year
    fill(places[100:150], date(2027, 1, 1), date(2028, 1, 1))  # exactly the year
    reserve(places[150], date(2027, 3, 1))  # a reserved place is paid for and empty

    # the rent terms (finance, through the providers), then occupied place-days: the
    # placements' periods clipped to the window, summed
    with django_assert_num_queries(2):
        result = occupancy.utilisation(
            agreement=agreement, start=date(2027, 1, 1), end=date(2027, 12, 31)
        )

    assert result.days == 365
    assert result.occupied_place_days == 150 * 365
    assert result.contracted_place_days == 300 * 365
    assert result.percent == Decimal("50.0")
    assert result.paid_but_empty_place_days == 54_750


@pytest.mark.django_db
def test_utilisation_counts_partial_stays_by_the_day() -> None:
    agreement = an_agreement(contracted_places=10)
    place = make_places(a_unit(facility=a_facility(agreement=agreement)), 1)[0]
    place_in(place, date(2027, 1, 5), date(2027, 1, 8))  # nights of the 5th, 6th and 7th

    result = occupancy.utilisation(
        agreement=agreement, start=date(2027, 1, 1), end=date(2027, 1, 10)
    )
    assert (result.occupied_place_days, result.contracted_place_days) == (3, 100)
    assert result.percent == Decimal("3.0")


# --- Forecast ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "cap", "level"),
    [(48, 50, "ok"), (96, 100, "ok"), (49, 50, "warning"), (50, 50, "alert"), (51, 50, "alert")],
)
def test_levels_warn_above_96_percent_and_alert_at_100(held, cap, level) -> None:
    assert occupancy.capacity_level(held=held, cap=cap) == level


@pytest.mark.django_db
def test_the_forecast_flags_warning_and_alert_days(django_assert_num_queries) -> None:
    today = date(2027, 6, 1)
    agreement = an_agreement(contracted_places=300)
    RampUpCapFactory(agreement=agreement, effective_from=date(2027, 4, 1), places=50)
    places = make_places(a_unit(facility=a_facility(agreement=agreement)), 52)
    fill(places[:46], date(2027, 4, 1))  # open-ended, nothing known about release
    place_in(places[46], date(2027, 4, 1), expected_release_on=today + timedelta(days=20))
    judged = place_in(places[47], date(2027, 4, 1))  # 48 placed today: 96 %, ok
    Judgment.objects.create(
        inmate=judged.inmate,
        court="Retten i Glostrup",
        judgment_date=date(2027, 1, 1),
        sentence_type="fixed_term",
        length_days=180,
        sentence_start=date(2027, 1, 1),
    )  # full term 2027-06-30: leaves on day 29
    reserve(places[48], today + timedelta(days=5))  # 49: warning
    reserve(places[49], today + timedelta(days=10))  # 50: alert
    reserve(places[50], today + timedelta(days=10), end_reason=Placement.EndReason.CANCELLED)
    place_in(places[51], date(2027, 4, 1), expected_release_on=date(2027, 5, 1))  # overdue

    # the agreement's cases on their way (transfers, through the providers; every case names its
    # programme), then generate_series over the days, left-joined to the projected stays, with
    # the cap each day
    with django_assert_num_queries(2):
        days = occupancy.forecast(agreement=agreement, today=today)

    assert len(days) == 181
    by_offset = {(d.day - today).days: d for d in days}
    assert by_offset[0].projected == 49  # the overdue stay is still there today
    assert by_offset[0].level == "warning"
    assert (by_offset[1].projected, by_offset[1].level) == (48, "ok")
    assert (by_offset[5].projected, by_offset[5].level) == (49, "warning")
    assert (by_offset[10].projected, by_offset[10].level) == (50, "alert")
    assert (by_offset[10].placed, by_offset[10].arrived) == (48, 2)
    assert (by_offset[20].projected, by_offset[20].level) == (49, "warning")  # one released
    assert (by_offset[29].projected, by_offset[29].level) == (48, "ok")  # full term reached
    assert by_offset[180].projected == 48
    assert occupancy.worst_day(days) == by_offset[10]


@pytest.mark.django_db
def test_an_empty_programme_forecasts_nothing_to_worry_about() -> None:
    days = occupancy.forecast(agreement=an_agreement(), today=DAY, days=10)
    assert len(days) == 11
    assert occupancy.worst_day(days) is None


# --- Every agreement today -----------------------------------------------------------------------


@pytest.mark.django_db
def test_agreements_today_counts_each_in_one_query(django_assert_num_queries) -> None:
    agreement = an_agreement(name="Denmark–Kosovo")
    RampUpCapFactory(agreement=agreement, effective_from=date(2027, 4, 1), places=100)
    places = make_places(a_unit(facility=a_facility(agreement=agreement)), 3)
    fill(places[:2], date(2027, 4, 1))
    reserve(places[2], DAY - timedelta(days=1))
    an_agreement(name="No facility yet")

    # agreements with occupied, reserved and cap as subqueries
    with django_assert_num_queries(1):
        (row,) = occupancy.agreements_today(on=DAY)
    assert row.agreement.name == "Denmark–Kosovo"
    assert (row.occupied, row.reserved, row.cap) == (2, 1, 100)
    assert (row.percent_of_cap, row.level) == (Decimal("2.0"), "ok")


def test_windows_at_the_ends_of_the_calendar_are_handled() -> None:
    assert occupancy.window_problem(date(9990, 1, 1), date(9999, 12, 31)) is None
    assert occupancy.period_or_default(None, date(1, 1, 5), today=DAY) == (
        date(1, 1, 1),
        date(1, 1, 5),
    )
    assert occupancy.period_or_default(None, None, today=DAY) == (DAY - timedelta(364), DAY)
    assert occupancy.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
