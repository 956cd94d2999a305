"""The Denmark–Kosovo pricing terms (programme-facts §2): EUR 15 m a year for the 300 places, a
EUR 5 m start fee, and EUR 6 m a year of green-energy aid as a stream of its own."""

from decimal import Decimal
from typing import TextIO

from finance.models import AidStream, PricingTerms
from program.cells.demo import AGREEMENT_NAME, OPENING
from program.cells.models import Agreement
from program.core.demo import register


@register(order=20)
def load(out: TextIO) -> None:
    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    PricingTerms.objects.get_or_create(
        agreement=agreement,
        defaults={
            "pricing_model": PricingTerms.Model.FIXED_ANNUAL,
            "currency": "EUR",
            "annual_fee": Decimal("15000000.00"),
            "start_fee": Decimal("5000000.00"),
            # When rent starts is not public; the demo assumes the facility's opening.
            "rent_starts_on": OPENING,
        },
    )
    AidStream.objects.get_or_create(
        agreement=agreement,
        name="Green-energy aid",
        defaults={
            "budget_owner": "Ministry of Foreign Affairs of Denmark",
            "annual_amount": Decimal("6000000.00"),
            "currency": "EUR",
            "years": agreement.total_term_years,
        },
    )
    out.write("Pricing: EUR 15,000,000 a year, EUR 5,000,000 start fee, EUR 6,000,000 a year aid\n")
