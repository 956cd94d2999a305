from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance import services
from finance.models import Tranche
from program.core.errors import ApplicationError, ConflictError
from tests.finance.helpers import RENT_START, first_rent, paid, scheduled, terms_with_aid, user

pytestmark = pytest.mark.django_db

FREQUENCIES = {"annual": 1, "quarterly": 4, "monthly": 12}


@given(
    cents=st.integers(min_value=1200, max_value=10**13),
    years=st.integers(min_value=1, max_value=12),
    frequency=st.sampled_from(list(FREQUENCIES)),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
)
@settings(max_examples=300, deadline=None)
def test_split_sums_exactly_to_the_cent(cents, years, frequency, day) -> None:
    annual = Decimal(cents) / 100
    parts = [p for _ in range(years) for p in services.split_exact(annual, FREQUENCIES[frequency])]
    assert sum(parts) == annual * years
    assert all(p > 0 and p == p.quantize(Decimal("0.01")) for p in parts)
    assert max(parts) - min(parts) < Decimal("0.01") * FREQUENCIES[frequency]


@given(
    cents=st.integers(min_value=1200, max_value=10**12),
    start_fee_cents=st.integers(min_value=1, max_value=10**11),
    initial=st.integers(min_value=1, max_value=6),
    extension=st.integers(min_value=0, max_value=5),
    frequency=st.sampled_from(list(FREQUENCIES)),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_generated_schedule_sums_exactly_to_the_terms(
    cents, start_fee_cents, initial, extension, frequency, day
) -> None:
    from django.db import transaction

    annual, start_fee = Decimal(cents) / 100, Decimal(start_fee_cents) / 100
    with transaction.atomic():
        terms = terms_with_aid(
            annual_fee=annual,
            start_fee=start_fee,
            rent_starts_on=day,
            agreement__initial_term_years=initial,
            agreement__extension_years=extension,
            agreement__extension_confirmed=True,
        )
        services.schedule_generate(
            terms=terms, frequency=frequency, include_extension=True, actor=None
        )
        rows = Tranche.objects.filter(agreement=terms.agreement)
        rent = [t for t in rows if t.stream == "rent"]
        assert sum(t.amount for t in rent) == annual * (initial + extension)
        assert len(rent) == (initial + extension) * FREQUENCIES[frequency]
        assert [t.amount for t in rows if t.stream == "start_fee"] == [start_fee]
        # periods tile the term without gaps or overlaps
        rent.sort(key=lambda t: t.period_start or day)
        assert rent[0].period_start == day
        assert all(a.period_end == b.period_start for a, b in pairwise(rent))
        transaction.set_rollback(True)


def test_the_demo_terms_give_150_5_and_60_million() -> None:
    terms = scheduled()
    rows = Tranche.objects.filter(agreement=terms.agreement)
    by_stream = {
        s: sum(t.amount for t in rows if t.stream == s) for s in ("rent", "start_fee", "aid")
    }
    assert by_stream == {
        "rent": Decimal("150000000.00"),
        "start_fee": Decimal("5000000.00"),
        "aid": Decimal("60000000.00"),
    }
    assert rows.count() == 40 + 1 + 40
    assert first_rent(terms).due_on == RENT_START


def test_the_remainder_goes_on_the_last_tranche_of_the_year() -> None:
    assert services.split_exact(Decimal("100.00"), 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


def test_too_small_an_amount_to_split_is_refused() -> None:
    with pytest.raises(ApplicationError, match="too small"):
        services.split_exact(Decimal("0.11"), 12)


def test_indexation_compounds_yearly_to_the_cent() -> None:
    assert services.indexed_amount(
        Decimal("15000000.00"), percent=Decimal("2.00"), year_index=2
    ) == Decimal("15606000.00")


def test_month_ends_do_not_drift() -> None:
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)


def test_running_generation_twice_changes_nothing() -> None:
    terms = scheduled()
    before = list(Tranche.objects.values_list("pk", "amount", "due_on", "version", "updated_at"))
    result = services.schedule_generate(
        terms=terms, frequency="quarterly", include_extension=True, actor=user("frida")
    )
    assert not result.changed
    assert result.unchanged == 81
    assert (
        list(Tranche.objects.values_list("pk", "amount", "due_on", "version", "updated_at"))
        == before
    )


def test_regeneration_touches_only_planned_tranches() -> None:
    terms = scheduled()
    done = paid(first_rent(terms))
    terms.annual_fee = Decimal("16000000.00")
    terms.save()
    result = services.schedule_generate(
        terms=terms, frequency="quarterly", include_extension=True, actor=user("frida")
    )
    done.refresh_from_db()
    assert done.amount == Decimal("3750000.00")  # paid at the old fee, untouched
    # kept: the paid rent, and the start fee and first aid tranche that fell due with it
    assert result.kept == 3
    assert result.updated == 39
    assert first_rent(terms).status == "paid"


def test_changing_frequency_replaces_planned_tranches() -> None:
    terms = scheduled()
    result = services.schedule_generate(
        terms=terms, frequency="monthly", include_extension=False, actor=user("frida")
    )
    rent = Tranche.objects.filter(agreement=terms.agreement, stream="rent")
    assert rent.count() == 60
    assert sum(t.amount for t in rent) == Decimal("75000000.00")
    # The extension's 20 quarterly rent tranches go; quarter starts are kept as month starts.
    assert result.deleted == 20
    assert result.updated == 20 + 40


def test_a_frequency_that_would_split_a_paid_period_is_refused() -> None:
    terms = scheduled()
    paid(first_rent(terms))
    with pytest.raises(ConflictError, match="paid"):
        services.schedule_generate(
            terms=terms, frequency="annual", include_extension=True, actor=user("frida")
        )


def test_an_unconfirmed_optional_extension_is_refused() -> None:
    terms = terms_with_aid(agreement__extension_confirmed=False)
    with pytest.raises(ApplicationError, match="not confirmed"):
        services.schedule_generate(
            terms=terms, frequency="annual", include_extension=True, actor=None
        )


def test_a_schedule_needs_the_rent_start() -> None:
    terms = terms_with_aid(rent_starts_on=None)
    with pytest.raises(ApplicationError, match="rent starts"):
        services.schedule_generate(
            terms=terms, frequency="annual", include_extension=False, actor=None
        )


def test_an_unknown_frequency_is_refused() -> None:
    with pytest.raises(ApplicationError, match="weekly"):
        services.schedule_generate(
            terms=terms_with_aid(), frequency="weekly", include_extension=False, actor=None
        )
