"""Reads of pricing terms, aid streams and the payment schedule, shaped for pages and the API."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from finance.models import (
    AidStream,
    PricingTerms,
    Tranche,
    TrancheApproval,
    TrancheCondition,
    TrancheEvent,
)

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


# --- The schedule -----------------------------------------------------------------------------

REACHED_INVOICE = ["invoiced", "approved", "paid"]
REACHED_APPROVAL = ["approved", "paid"]


def tranche_list(
    *,
    agreement_id: int | None = None,
    stream: str = "",
    status: str = "",
    year: int | None = None,
) -> QuerySet[Tranche]:
    """Tranches in due-date order, filtered, with what a list row shows joined in (one query)."""
    tranches = Tranche.objects.select_related("agreement", "aid_stream").order_by(
        "due_on", "stream", "id"
    )
    if agreement_id is not None:
        tranches = tranches.filter(agreement_id=agreement_id)
    if stream:
        tranches = tranches.filter(stream=stream)
    if status:
        tranches = tranches.filter(status=status)
    if year is not None:
        tranches = tranches.filter(due_on__year=year)
    return tranches


def tranche_detail_queryset() -> QuerySet[Tranche]:
    """A tranche with its conditions, approvals, payment and timeline, in five queries."""
    return Tranche.objects.select_related(
        "agreement", "aid_stream", "prepared_by", "decided_by", "payment__recorded_by"
    ).prefetch_related(
        Prefetch("conditions", queryset=TrancheCondition.objects.select_related("met_by")),
        Prefetch(
            "approvals",
            queryset=TrancheApproval.objects.select_related("approver").order_by("at", "id"),
        ),
        Prefetch(
            "events", queryset=TrancheEvent.objects.select_related("actor").order_by("at", "id")
        ),
    )


@dataclass(frozen=True)
class YearTotals:
    year: int
    planned: Decimal
    invoiced: Decimal
    approved: Decimal
    paid: Decimal


def totals_by_year(*, agreement_id: int | None = None) -> list[YearTotals]:
    """Per year of the due date: everything scheduled, and what reached invoice, approval and
    payment. One grouped query."""
    money = DecimalField(max_digits=16, decimal_places=2)

    def total(**filters: object) -> Coalesce:
        return Coalesce(Sum("amount", filter=Q(**filters)), Value(ZERO), output_field=money)

    rows = (
        tranche_list(agreement_id=agreement_id)
        .order_by()
        .annotate(year=ExtractYear("due_on"))
        .values("year")
        .annotate(
            planned=Coalesce(Sum("amount"), Value(ZERO), output_field=money),
            invoiced=total(status__in=REACHED_INVOICE),
            approved=total(status__in=REACHED_APPROVAL),
            paid=total(status="paid"),
        )
        .order_by("year")
    )
    return [YearTotals(**row) for row in rows]


def totals_by_stream(*, agreement_id: int | None = None) -> dict[str, Decimal]:
    """Everything scheduled per stream (rent, start fee, aid); one grouped query."""
    rows = (
        tranche_list(agreement_id=agreement_id)
        .order_by()
        .values("stream")
        .annotate(total=Sum("amount"))
    )
    totals = dict.fromkeys(Tranche.Stream.values, ZERO)
    totals.update({row["stream"]: row["total"] for row in rows})
    return totals


def tranches_next(*, limit: int = 8) -> QuerySet[Tranche]:
    """The next tranches not yet settled, soonest first."""
    open_statuses = ["planned", "due", "overdue", "invoiced", "approved", "disputed"]
    return tranche_list().filter(status__in=open_statuses)[:limit]
