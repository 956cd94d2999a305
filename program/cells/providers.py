"""What occupancy figures need to know from the apps above `cells`, asked through a registry.

Rent terms are finance's and transfer cases the transfers app's; both depend on `cells`, so
`cells` declares what it asks here and each app registers its answer in AppConfig.ready(). With
nothing registered the figures fall back to what `cells` knows alone: every contracted place paid
for every day, and no arrivals beyond the reservations already made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from program.cells.models import Agreement


@dataclass(frozen=True)
class RentTerms:
    # The first day rent is owed for; None when the terms do not say yet.
    starts_on: date | None
    # False when only occupied place-days are paid for (per-inmate-month pricing): then no
    # place-day is ever paid for and empty.
    pays_for_empty_places: bool


@dataclass(frozen=True)
class ExpectedArrival:
    """A person decided for transfer and not yet holding a place: expected on `arrives_on`."""

    inmate_id: int
    arrives_on: date


RentTermsProvider = Callable[[Agreement], RentTerms | None]
ArrivalsProvider = Callable[[Agreement, date], list[ExpectedArrival]]

_rent_terms: list[RentTermsProvider] = []
_arrivals: list[ArrivalsProvider] = []


def register_rent_terms(provider: RentTermsProvider) -> None:
    if provider not in _rent_terms:
        _rent_terms.append(provider)


def register_arrivals(provider: ArrivalsProvider) -> None:
    if provider not in _arrivals:
        _arrivals.append(provider)


def rent_terms(agreement: Agreement) -> RentTerms | None:
    for provider in _rent_terms:
        found = provider(agreement)
        if found is not None:
            return found
    return None


def expected_arrivals(agreement: Agreement, today: date) -> list[ExpectedArrival]:
    """Everyone decided for the agreement's places who holds no place or reservation yet."""
    return [arrival for provider in _arrivals for arrival in provider(agreement, today)]
