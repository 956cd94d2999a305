from datetime import date

import pytest
from django.contrib.postgres.fields.ranges import DateRange

from program.cells.models import Placement
from program.cells.selectors import occupied_place_days, places_held_on, ramp_up_cap_on
from program.inmates.models import Inmate
from tests.factories import FacilityFactory, PlaceFactory, RampUpCapFactory


def _inmate(n: int) -> Inmate:
    return Inmate.objects.create(
        case_number=f"S-{n}",
        name=f"Person {n}",
        date_of_birth=date(1990, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )


@pytest.mark.django_db
def test_occupied_place_days_counts_only_the_days_inside_the_window() -> None:
    facility = FacilityFactory()
    place_a = PlaceFactory(cell__unit__facility=facility)
    place_b = PlaceFactory(cell__unit__facility=facility)
    Placement.objects.create(
        inmate=_inmate(1),
        place=place_a,
        kind="placement",
        period=DateRange(date(2026, 12, 20), None),
        reason="r",
    )
    Placement.objects.create(
        inmate=_inmate(2),
        place=place_b,
        kind="placement",
        period=DateRange(date(2027, 1, 10), date(2027, 1, 20)),
        reason="r",
    )
    Placement.objects.create(
        inmate=_inmate(3),
        place=PlaceFactory(cell__unit__facility=facility),
        kind="reservation",
        period=DateRange(date(2027, 1, 1), None),
        reason="r",
    )
    # January 2027: 31 nights in place A, 10 in place B; the reservation holds no one.
    days = occupied_place_days(
        agreement=facility.agreement, start=date(2027, 1, 1), end=date(2027, 2, 1)
    )
    assert days == 41


@pytest.mark.django_db
def test_the_cap_in_force_follows_the_ramp_up_steps() -> None:
    cap = RampUpCapFactory(effective_from=date(2027, 4, 1), places=100)
    RampUpCapFactory(agreement=cap.agreement, effective_from=date(2027, 10, 1), places=200)
    agreement = cap.agreement
    assert ramp_up_cap_on(agreement=agreement, on=date(2027, 3, 31)) == 300  # no step yet
    assert ramp_up_cap_on(agreement=agreement, on=date(2027, 4, 1)) == 100
    assert ramp_up_cap_on(agreement=agreement, on=date(2028, 1, 1)) == 200


@pytest.mark.django_db
def test_places_held_counts_placements_and_reservations_but_not_cancelled_ones() -> None:
    facility = FacilityFactory()
    day = date(2027, 5, 1)
    Placement.objects.create(
        inmate=_inmate(1),
        place=PlaceFactory(cell__unit__facility=facility),
        kind="placement",
        period=DateRange(date(2027, 4, 1), None),
        reason="r",
    )
    Placement.objects.create(
        inmate=_inmate(2),
        place=PlaceFactory(cell__unit__facility=facility),
        kind="reservation",
        period=DateRange(date(2027, 4, 20), None),
        reason="r",
    )
    Placement.objects.create(
        inmate=_inmate(3),
        place=PlaceFactory(cell__unit__facility=facility),
        kind="reservation",
        period=DateRange(date(2027, 4, 20), None),
        reason="r",
        end_reason="cancelled",
    )
    assert places_held_on(agreement=facility.agreement, on=day) == 2
