"""Per-inmate-month pricing billed for real: calendar months, pro rata by the days of each month,
corrections for late-recorded occupancy, and two programmes that never mix.

The worked example (also in docs/finance.md), checked by hand: EUR 8,500 per inmate-month,
rent from 1 January 2025 for one year, billed monthly.

- A is in place all year: 12 × 8,500.00 = 102,000.00
- B from 15 February to 10 April (released on the 10th, so the last night is 9 April):
  February 14 of 28 days = 4,250.00; March 31 of 31 = 8,500.00; April 9 of 30 = 2,550.00
- C from 20 December on: 12 of 31 days = 3,290.32 (December with A: 43 place-days
  × 8,500 ÷ 31 = 11,790.3225… = 11,790.32)

Months: Jan 8,500.00 · Feb 12,750.00 · Mar 17,000.00 · Apr 11,050.00 · May–Nov 7 × 8,500.00
= 59,500.00 · Dec 11,790.32; the year 120,590.32. Counted in 365.25/12-day months the same
431 place-days would have come to 431 ÷ 30.4375 × 8,500 = 120,361.40: not what is owed.
"""

from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange

from finance import selectors, services
from finance.models import PricingTerms, Tranche
from program.cells import services as cells
from program.cells.models import Agreement, Place, Placement
from program.inmates.models import Inmate
from tests.factories import CellFactory, FacilityFactory, PlaceFactory, PricingTermsFactory
from tests.finance.helpers import paid, user

pytestmark = pytest.mark.django_db

FEE = Decimal("8500.00")
YEAR = date(2025, 1, 1)
AFTER = date(2026, 1, 1)


def _inmate(tag: str) -> Inmate:
    return Inmate.objects.create(
        case_number=f"KF-PIM-{tag}",
        name=f"Per month {tag}",
        date_of_birth=date(1980, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Vestre Prison",
    )


def _stay(place: Place, tag: str, start: date, end: date | None) -> Placement:
    return Placement.objects.create(
        inmate=_inmate(tag),
        place=place,
        kind="placement",
        period=DateRange(start, end),
        reason="Per-inmate-month test",
    )


def per_month_agreement(tag: str = "T", **overrides: object) -> tuple[PricingTerms, list[Place]]:
    terms = PricingTermsFactory(
        agreement__name=f"Sweden–Tartu {tag}",
        agreement__sending_state="SE",
        agreement__host_state="EE",
        agreement__initial_term_years=1,
        agreement__extension_years=0,
        agreement__contracted_places=600,
        pricing_model=PricingTerms.Model.PER_INMATE_MONTH,
        annual_fee=None,
        start_fee=None,
        per_inmate_month_fee=FEE,
        rent_starts_on=YEAR,
        **overrides,
    )
    facility = FacilityFactory(agreement=terms.agreement, name=f"Tartu {tag}", country="EE")
    places = [PlaceFactory(cell=CellFactory(unit__facility=facility)) for _ in range(4)]
    return cast(PricingTerms, terms), cast(list[Place], places)


def worked_example(tag: str = "T") -> tuple[PricingTerms, list[Place]]:
    terms, places = per_month_agreement(tag)
    _stay(places[0], f"{tag}A", YEAR, None)
    _stay(places[1], f"{tag}B", date(2025, 2, 15), date(2025, 4, 10))
    _stay(places[2], f"{tag}C", date(2025, 12, 20), None)
    return terms, places


def _generate(terms: PricingTerms, today: date = AFTER, frequency: str = "monthly") -> object:
    return services.schedule_generate(
        terms=terms, frequency=frequency, include_extension=False, actor=None, today=today
    )


def _rent(terms: PricingTerms) -> list[Tranche]:
    return list(
        Tranche.objects.filter(agreement=terms.agreement, stream="rent").order_by("period_start")
    )


EXPECTED_MONTHS = [
    Decimal("8500.00"),
    Decimal("12750.00"),
    Decimal("17000.00"),
    Decimal("11050.00"),
    *[Decimal("8500.00")] * 7,
    Decimal("11790.32"),
]


def test_a_year_is_billed_month_by_month_as_worked_out_by_hand() -> None:
    terms, _places = worked_example()
    result = _generate(terms)
    rent = _rent(terms)
    assert result.created == 12
    assert [t.amount for t in rent] == EXPECTED_MONTHS
    assert sum(t.amount for t in rent) == Decimal("120590.32")
    # In arrears: January is due on 1 February, December on 1 January.
    assert (rent[0].period_start, rent[0].period_end, rent[0].due_on) == (
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 2, 1),
    )
    assert rent[-1].due_on == date(2026, 1, 1)
    assert [t.occupied_place_days for t in rent][:4] == [31, 28 + 14, 31 + 31, 30 + 9]
    # Running it again changes nothing.
    again = _generate(terms)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)


def test_the_yearly_figure_counts_calendar_months_not_average_ones() -> None:
    terms, _places = worked_example()
    report = selectors.cost_report(agreement=terms.agreement, start=YEAR, end=AFTER)
    (year,) = report.years
    assert year.occupied_place_days == 431
    assert year.rent_rounded == Decimal("120590.32")
    assert year.per_inmate_month_cost == Decimal("120590.32")
    # Σ place-days ÷ days of each month: 1 + 1.5 + 2 + 1.3 + 7 + 43/31 = 14.187…
    assert year.inmate_months == Decimal("14.19")
    # The quarters add up to the year, and Q1 is January to March of the schedule.
    assert sum(q.rent for q in report.quarters) == year.rent
    assert report.quarters[0].rent == Decimal("38250.00")
    # Cost per occupied place-day: 120,590.32 ÷ 431 = 279.79
    assert year.cost_per_occupied_place_day == Decimal("279.79")
    # Nothing is paid for empty places with this pricing.
    assert year.per_inmate_month_fee == FEE


def test_only_periods_that_have_ended_are_billed_quarterly_too() -> None:
    terms, _places = worked_example()
    _generate(terms, today=date(2025, 7, 15), frequency="quarterly")
    rent = _rent(terms)
    assert [(t.period_start, t.period_end) for t in rent] == [
        (date(2025, 1, 1), date(2025, 4, 1)),
        (date(2025, 4, 1), date(2025, 7, 1)),
    ]
    assert [t.amount for t in rent] == [Decimal("38250.00"), Decimal("28050.00")]


def test_a_late_admission_to_a_paid_month_adds_a_correction_and_leaves_the_paid_tranche() -> None:
    terms, places = worked_example()
    _generate(terms)
    january = paid(_rent(terms)[0], reference="SE-JAN")
    assert january.status == "paid"
    # Recorded late: D was in place 10 to 20 January (10 nights).
    cells.placement_admit(
        inmate=_inmate("TD"),
        place=places[3],
        on=date(2025, 1, 10),
        reason="Recorded late",
        actor=None,
    )
    late = Placement.objects.get(inmate__case_number="KF-PIM-TD")
    cells.placement_release(placement=late, on=date(2025, 1, 20), end_reason="released", actor=None)
    result = _generate(terms)
    assert result.created == 1
    january.refresh_from_db()
    assert (january.amount, january.status) == (Decimal("8500.00"), "paid")
    correction = Tranche.objects.get(agreement=terms.agreement, stream="correction")
    # 8,500 × 10 ÷ 31 = 2,741.935… = 2,741.94
    assert correction.amount == Decimal("2741.94")
    assert correction.corrects_id == january.pk
    assert (correction.period_start, correction.period_end) == (YEAR, date(2025, 2, 1))
    assert correction.status == "planned"
    # Nothing more to correct on a second run.
    assert _generate(terms).created == 0


def test_a_late_release_from_an_invoiced_month_is_a_credit() -> None:
    terms, _places = worked_example()
    _generate(terms)
    from tests.finance.helpers import invoiced

    march = invoiced(_rent(terms)[2])
    # B's release is found to have been 1 March, not 10 April.
    stay = Placement.objects.get(inmate__case_number="KF-PIM-TB")
    Placement.objects.filter(pk=stay.pk).update(
        period=DateRange(date(2025, 2, 15), date(2025, 3, 1))
    )
    _generate(terms)
    march.refresh_from_db()
    assert march.amount == Decimal("17000.00")
    credit = Tranche.objects.get(agreement=terms.agreement, stream="correction", corrects=march)
    assert credit.amount == Decimal("-8500.00")
    # April was still planned: simply recounted (A alone, a full month).
    assert _rent(terms)[3].amount == Decimal("8500.00")


def test_a_planned_month_is_recounted_in_place() -> None:
    terms, places = worked_example()
    _generate(terms)
    _stay(places[3], "TE", date(2025, 6, 1), date(2025, 6, 16))  # 15 of 30 days
    result = _generate(terms)
    assert (result.created, result.updated) == (0, 1)
    assert _rent(terms)[5].amount == Decimal("12750.00")
    assert not Tranche.objects.filter(stream="correction").exists()


def test_two_programmes_never_share_invoices_tranches_or_place_days() -> None:
    sweden, _places = worked_example("S")
    other, other_places = per_month_agreement("N")
    # The other programme holds ten people all year in its own places.
    for n, place in enumerate(other_places):
        _stay(place, f"N{n}", YEAR, None)
    _generate(sweden)
    _generate(other)
    assert [t.amount for t in _rent(sweden)] == EXPECTED_MONTHS
    assert {t.amount for t in _rent(other)} == {Decimal("34000.00")}
    assert selectors.tranche_list(agreement_id=sweden.agreement_id).count() == 12
    assert all(
        t.agreement_id == other.agreement_id
        for t in selectors.tranche_list(agreement_id=other.agreement_id)
    )
    report = selectors.cost_report(agreement=sweden.agreement, start=YEAR, end=AFTER)
    assert report.total.occupied_place_days == 431
    # A late admission in one programme corrects that one only (the daily move that made the
    # other's January due made Sweden's due too, so Sweden's is corrected, not edited).
    paid(_rent(other)[0], reference="NO-JAN")
    _stay(_places[3], "S-late", date(2025, 1, 5), date(2025, 1, 6))
    _generate(sweden)
    _generate(other)
    assert not Tranche.objects.filter(stream="correction", agreement=other.agreement).exists()
    (correction,) = Tranche.objects.filter(stream="correction", agreement=sweden.agreement)
    assert correction.corrects_id == _rent(sweden)[0].pk
    assert correction.amount == Decimal("274.19")  # 8,500 × 1 ÷ 31
    assert _rent(sweden)[0].amount == Decimal("8500.00")


def test_the_daily_run_bills_a_month_once_it_has_ended() -> None:
    terms, _places = worked_example()
    assert services.per_inmate_month_bill_all(today=date(2025, 1, 31)) == 0
    assert services.per_inmate_month_bill_all(today=date(2025, 2, 1)) == 1
    (january,) = _rent(terms)
    assert january.amount == Decimal("8500.00")
    # The fixed-annual programme beside it is not touched by the run.
    fixed = PricingTermsFactory(rent_starts_on=YEAR)
    assert services.per_inmate_month_bill_all(today=date(2025, 3, 1)) == 1
    assert not Tranche.objects.filter(agreement=fixed.agreement).exists()
    assert Agreement.objects.count() == 2
    assert user("frida")
