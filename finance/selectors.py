"""Reads of pricing terms and aid streams, and the totals over an agreement's term."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from finance.models import AidStream, PricingTerms

ZERO = Decimal("0.00")


def pricing_terms_list() -> QuerySet[PricingTerms]:
    return PricingTerms.objects.select_related("agreement").order_by("agreement__signed_on", "id")


def aid_stream_list() -> QuerySet[AidStream]:
    return AidStream.objects.select_related("agreement").order_by("agreement__signed_on", "name")


@dataclass(frozen=True)
class TermTotals:
    """What an agreement costs over its full term (initial term plus extension), by stream."""

    currency: str
    years: int
    rent: Decimal
    start_fee: Decimal
    aid: Decimal

    @property
    def rent_and_start_fee(self) -> Decimal:
        return self.rent + self.start_fee

    @property
    def everything(self) -> Decimal:
        return self.rent + self.start_fee + self.aid


def term_totals(*, terms: PricingTerms, aid_streams: list[AidStream]) -> TermTotals:
    """Fixed annual rent times the full term, the start fee, and each aid stream's own total.

    Per-inmate-month rent depends on occupancy and so has no fixed total; it counts as zero here.
    Indexation is applied by the payment schedule, not in this headline figure.
    """
    years = terms.agreement.total_term_years
    rent = (terms.annual_fee or ZERO) * years if terms.pricing_model == "fixed_annual" else ZERO
    aid = sum((s.total_amount for s in aid_streams if s.currency == terms.currency), start=ZERO)
    return TermTotals(
        currency=terms.currency,
        years=years,
        rent=rent,
        start_fee=terms.start_fee or ZERO,
        aid=aid,
    )


def terms_overview() -> list[tuple[PricingTerms, list[AidStream], TermTotals]]:
    """Every agreement's terms with its aid streams and totals, in two queries."""
    streams_by_agreement: dict[int, list[AidStream]] = {}
    for stream in aid_stream_list():
        streams_by_agreement.setdefault(stream.agreement_id, []).append(stream)
    rows = []
    for terms in pricing_terms_list():
        streams = streams_by_agreement.get(terms.agreement_id, [])
        rows.append((terms, streams, term_totals(terms=terms, aid_streams=streams)))
    return rows
