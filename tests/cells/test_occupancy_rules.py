"""Occupancy figures as the programme counts them: paid-but-empty place-days from the day rent
starts, a cap of 0 before the facility opens, and a forecast that counts the people decided for
transfer at their planned arrival. Each was first written against the behaviour before."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from finance.models import PricingTerms
from program.cells import occupancy
from program.cells.models import Agreement, Facility
from tests.cells.test_occupancy_selectors import (
    a_facility,
    a_unit,
    an_agreement,
    make_inmate,
    make_places,
    place_in,
    reserve,
)
from tests.factories import PricingTermsFactory
from transfers.models import TransferCase

pytestmark = pytest.mark.django_db

DAY = date(2027, 6, 15)


def _programme(places: int = 10, **facility: object) -> tuple[Agreement, Facility, list]:
    agreement = an_agreement(contracted_places=places)
    site = a_facility(agreement=agreement, **facility)
    return agreement, site, make_places(a_unit(facility=site), places)


def test_paid_but_empty_place_days_count_from_the_day_rent_starts() -> None:
    agreement, _site, places = _programme()
    PricingTermsFactory(agreement=agreement, rent_starts_on=DAY)
    place_in(places[0], DAY - timedelta(days=10))
    start, end = DAY - timedelta(days=10), DAY + timedelta(days=9)  # 20 days, 10 before rent
    result = occupancy.utilisation(agreement=agreement, start=start, end=end)
    assert (result.days, result.occupied_place_days, result.contracted_place_days) == (20, 20, 200)
    # Before: 10 × 20 − 20 = 180. Rent is owed for 10 days only: 10 × 10 − 10 = 90.
    assert result.rent_days == 10
    assert result.paid_but_empty_place_days == 90
    # Wholly before rent starts, nothing is paid, so nothing is paid and empty.
    before = occupancy.utilisation(agreement=agreement, start=start, end=DAY - timedelta(days=1))
    assert before.paid_but_empty_place_days == 0


def test_per_inmate_month_pricing_never_pays_for_an_empty_place() -> None:
    agreement, _site, places = _programme()
    PricingTermsFactory(
        agreement=agreement,
        pricing_model=PricingTerms.Model.PER_INMATE_MONTH,
        annual_fee=None,
        start_fee=None,
        per_inmate_month_fee=Decimal("8500.00"),
        rent_starts_on=DAY - timedelta(days=100),
    )
    place_in(places[0], DAY - timedelta(days=10))
    result = occupancy.utilisation(agreement=agreement, start=DAY, end=DAY + timedelta(days=9))
    assert result.paid_but_empty_place_days == 0
    assert result.occupied_place_days == 10


def test_without_pricing_terms_every_day_counts_as_paid_as_before() -> None:
    agreement, _site, _places = _programme()
    result = occupancy.utilisation(agreement=agreement, start=DAY, end=DAY + timedelta(days=9))
    assert result.paid_but_empty_place_days == 100


def test_the_cap_is_zero_before_the_facility_opens() -> None:
    opens = DAY + timedelta(days=5)
    agreement, site, _places = _programme(opens_on=opens)
    series = occupancy.occupancy_series(agreement=agreement, start=DAY, end=DAY + timedelta(days=6))
    assert [day.cap for day in series] == [0, 0, 0, 0, 0, 10, 10]
    (facility_day,) = occupancy.occupancy_series(facility=site, start=DAY, end=DAY)
    assert facility_day.cap == 0
    (today,) = occupancy.agreements_today(on=DAY)
    assert (today.cap, today.level) == (0, "ok")
    (opened,) = occupancy.agreements_today(on=opens)
    assert opened.cap == 10
    # The forecast shows the same: nobody can be there before it opens.
    days = occupancy.forecast(agreement=agreement, today=DAY, days=6)
    assert [d.cap for d in days] == [0, 0, 0, 0, 0, 10, 10]
    assert occupancy.worst_day(days) is None


def test_a_facility_without_an_opening_date_keeps_its_cap() -> None:
    agreement, _site, _places = _programme()
    (row,) = occupancy.occupancy_series(agreement=agreement, start=DAY, end=DAY)
    assert row.cap == 10


def _case(state: str, agreement: Agreement, *, deadline: date | None = None) -> TransferCase:
    worker, _created = get_user_model().objects.get_or_create(username="carla")
    return TransferCase.objects.create(
        inmate=make_inmate(),
        caseworker=worker,
        state=state,
        appeal_deadline=deadline,
        agreement=agreement,
    )


def test_the_forecast_counts_decided_cases_at_their_planned_arrival() -> None:
    agreement, _site, places = _programme()
    place_in(places[0], DAY - timedelta(days=30))
    _case(TransferCase.State.DECIDED_TRANSFER, agreement, deadline=DAY + timedelta(days=3))
    _case(TransferCase.State.NOTIFIED, agreement, deadline=DAY + timedelta(days=7))
    # Scheduled with its reservation: counted once, by the reservation.
    booked = _case(TransferCase.State.SCHEDULED, agreement)
    reserve(places[1], DAY + timedelta(days=2), inmate=booked.inmate)
    # Not on the way: screening, and a decision not to transfer.
    _case(TransferCase.State.SCREENING, agreement)
    _case(TransferCase.State.DECIDED_NO_TRANSFER, agreement)
    days = {(d.day - DAY).days: d for d in occupancy.forecast(agreement=agreement, today=DAY)}
    assert days[0].projected == 1
    assert days[2].projected == 2  # the reservation
    assert days[4].projected == 3  # the day after the first appeal deadline
    assert days[8].projected == 4
    assert days[8].arrived == 3


def test_a_case_is_counted_only_in_its_own_programme() -> None:
    # Every case names its programme (TransferCase.agreement is required).
    first, _site, _places = _programme()
    second, _site2, _places2 = _programme()
    _case(TransferCase.State.DECIDED_TRANSFER, first, deadline=DAY)
    days = occupancy.forecast(agreement=first, today=DAY, days=5)
    assert [d.projected for d in days] == [0, 1, 1, 1, 1, 1]
    days = occupancy.forecast(agreement=second, today=DAY, days=5)
    assert {d.projected for d in days} == {0}
