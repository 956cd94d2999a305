"""Cost per occupied place-day: rent owed ÷ occupied place-days, checked against sums by hand."""

from datetime import date
from decimal import Decimal

import pytest

from finance import selectors
from finance.models import PricingTerms
from program.cells import services as cells
from program.inmates.models import Inmate
from tests.factories import CellFactory, FacilityFactory, PlaceFactory
from tests.finance.helpers import scheduled

pytestmark = pytest.mark.django_db

OPENING = date(2026, 4, 1)


def occupied_agreement(placed: int = 10, **overrides: object) -> PricingTerms:
    """Quarterly schedule from 1 April 2026 and `placed` inmates in place from that day on."""
    terms = scheduled(**overrides)
    facility = FacilityFactory(agreement=terms.agreement)
    for n in range(placed):
        inmate = Inmate.objects.create(
            case_number=f"KF-COST-{terms.pk}-{n}",
            name=f"Cost {n}",
            date_of_birth=date(1980, 1, 1),
            sex="M",
            security_level="low",
            home_institution="Vestre Prison",
        )
        place = PlaceFactory(cell=CellFactory(unit__facility=facility))
        cells.placement_admit(inmate=inmate, place=place, on=OPENING, reason="Cost", actor=None)
    return terms


def _report(terms: PricingTerms, start: date, end: date) -> selectors.CostReport:
    return selectors.cost_report(agreement=terms.agreement, start=start, end=end)


def test_a_quarter_divides_its_rent_by_its_occupied_place_days() -> None:
    terms = occupied_agreement(per_inmate_month_fee=Decimal("8500.00"))
    report = _report(terms, date(2026, 1, 1), date(2027, 1, 1))
    q1, q2, q3, q4 = report.quarters
    # No rent before it starts, and no one placed: nothing to divide.
    assert (q1.rent, q1.rent_days, q1.occupied_place_days) == (0, 0, 0)
    assert q1.cost_per_occupied_place_day is None
    # Q2: 91 days, 10 inmates = 910 place-days; EUR 3,750,000 ÷ 910 = 4,120.879…
    assert (q2.rent_days, q2.occupied_place_days) == (91, 910)
    assert q2.rent_rounded == Decimal("3750000.00")
    assert q2.cost_per_occupied_place_day == Decimal("4120.88")
    # Paid but empty: 300 × 91 − 910 = 26,390 place-days, their share of the rent:
    # 3,750,000 × 26,390 ÷ 27,300 = 3,625,000.00
    assert q2.empty_place_days == 26390
    assert q2.empty_cost == Decimal("3625000.00")
    # Per inmate-month, in calendar months: 10 inmates × April, May and June in full = 30
    # inmate-months × EUR 8,500 = 255,000.00 (not 910 ÷ 30.4375 × 8,500 = 254,127.31)
    assert q2.inmate_months == Decimal("30.00")
    assert q2.per_inmate_month_cost == Decimal("255000.00")
    # The year is its quarters together: 275 rent days, 2,750 place-days, EUR 11,250,000.
    (year,) = report.years
    assert (year.rent_days, year.occupied_place_days) == (275, 2750)
    assert year.rent_rounded == Decimal("11250000.00")
    assert year.cost_per_occupied_place_day == Decimal("4090.91")
    assert q3.rent + q4.rent + q2.rent == year.rent
    assert report.total.rent == year.rent


def test_an_annual_schedule_is_spread_over_its_period_by_day() -> None:
    terms = occupied_agreement(placed=0)
    from finance import services
    from finance.models import Tranche

    Tranche.objects.filter(agreement=terms.agreement).delete()
    services.schedule_generate(terms=terms, frequency="annual", include_extension=False, actor=None)
    report = _report(terms, date(2026, 1, 1), date(2027, 1, 1))
    # 1 Apr 2026 – 1 Apr 2027 is 365 days; 2026 holds 275 of them: 15 m × 275 ÷ 365.
    assert report.years[0].rent_rounded == Decimal("11301369.86")
    assert report.years[0].empty_place_days == 300 * 275
    assert report.years[0].cost_per_occupied_place_day is None


def test_a_period_not_on_quarter_bounds_is_cut_to_it() -> None:
    terms = occupied_agreement(placed=2)
    report = _report(terms, date(2026, 5, 15), date(2026, 8, 1))
    assert [q.label for q in report.quarters] == ["2026 Q2", "2026 Q3"]
    assert report.quarters[0].start == date(2026, 5, 15)
    assert report.quarters[1].end == date(2026, 8, 1)
    # 47 days in Q2 (15 May – 30 Jun) and 31 in July, two inmates each day
    assert report.total.occupied_place_days == 2 * (47 + 31)
    assert report.total.rent_days == 78
    expected = Decimal(3750000) * 47 / 91 + Decimal("3750000.00") * 31 / 92
    assert report.total.rent_rounded == expected.quantize(Decimal("0.01"))


def test_without_a_comparison_price_there_is_no_comparison() -> None:
    terms = occupied_agreement(placed=1)
    report = _report(terms, date(2026, 4, 1), date(2026, 7, 1))
    assert report.total.per_inmate_month_cost is None
    # April, May and June in full: three calendar months (not 91 ÷ 30.4375 = 2.99)
    assert report.total.inmate_months == Decimal("3.00")
