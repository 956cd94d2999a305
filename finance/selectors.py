"""Reads of pricing terms, aid streams and the payment schedule, shaped for pages and the API."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

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
from program.cells.models import Agreement
from program.cells.selectors import occupied_place_days_by_window

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


# --- What an occupied place-day costs ---------------------------------------------------------

# An inmate-month for the per-inmate-month comparison: an average month, 365.25 / 12 days.
DAYS_PER_INMATE_MONTH = Decimal("365.25") / Decimal(12)
CENT = Decimal("0.01")
MAX_REPORT_YEARS = 20


@dataclass(frozen=True)
class CostRow:
    """Rent owed, occupancy and what an occupied place-day cost over [start, end)."""

    label: str
    start: date
    end: date  # exclusive
    rent_days: int  # days of the period rent is owed for (covered by a rent tranche)
    contracted_places: int
    rent: Decimal  # owed for the period: rent tranches pro rata by day of their own period
    occupied_place_days: int
    per_inmate_month_fee: Decimal | None
    currency: str

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def contracted_place_days(self) -> int:
        return self.contracted_places * self.rent_days

    @property
    def empty_place_days(self) -> int:
        """Paid but empty: contracted place-days less occupied ones."""
        return max(self.contracted_place_days - self.occupied_place_days, 0)

    @property
    def cost_per_occupied_place_day(self) -> Decimal | None:
        if not self.occupied_place_days:
            return None
        return (self.rent / self.occupied_place_days).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_per_contracted_place_day(self) -> Decimal | None:
        if not self.contracted_place_days:
            return None
        return (self.rent / self.contracted_place_days).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def empty_cost(self) -> Decimal:
        """The rent that paid for empty places: rent × empty ÷ contracted place-days."""
        if not self.contracted_place_days:
            return ZERO
        share = self.rent * self.empty_place_days / self.contracted_place_days
        return share.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def inmate_months(self) -> Decimal:
        return (Decimal(self.occupied_place_days) / DAYS_PER_INMATE_MONTH).quantize(CENT)

    @property
    def per_inmate_month_cost(self) -> Decimal | None:
        """What the same occupancy would have cost at the per-inmate-month price."""
        if self.per_inmate_month_fee is None:
            return None
        cost = Decimal(self.occupied_place_days) / DAYS_PER_INMATE_MONTH * self.per_inmate_month_fee
        return cost.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def rent_rounded(self) -> Decimal:
        return self.rent.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CostReport:
    agreement: Agreement
    start: date
    end: date  # exclusive
    quarters: list[CostRow]
    years: list[CostRow]
    total: CostRow

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def _quarter_bounds(start: date, end: date) -> list[tuple[date, date]]:
    bounds = []
    first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while first < end:
        following = (
            date(first.year + 1, 1, 1)
            if first.month == 10
            else date(first.year, first.month + 3, 1)
        )
        bounds.append((max(first, start), min(following, end)))
        first = following
    return bounds


def _overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    return max((min(a_end, b_end) - max(a_start, b_start)).days, 0)


def cost_report(*, agreement: Agreement, start: date, end: date) -> CostReport:
    """Cost per occupied place-day by quarter and by year over [start, end).

    Rent owed comes from the schedule's rent tranches, each spread evenly over the days of its
    own period; occupancy from program.cells (placements that exist, no forecast), one query for
    all quarters; a year is the sum of its quarters. Three queries in all.
    """
    terms = PricingTerms.objects.filter(agreement=agreement).first()
    rent_tranches: list[tuple[date, date, Decimal, str]] = list(
        Tranche.objects.filter(
            agreement=agreement,
            stream=Tranche.Stream.RENT,
            period_start__lt=end,
            period_end__gt=start,
        ).values_list("period_start", "period_end", "amount", "currency")  # type: ignore[arg-type]
    )
    fee = terms.per_inmate_month_fee if terms is not None else None
    currency = terms.currency if terms is not None else "EUR"

    def row(label: str, lo: date, hi: date, occupied: int) -> CostRow:
        rent = ZERO
        days = 0
        for t_start, t_end, amount, _currency in rent_tranches:
            shared = _overlap_days(lo, hi, t_start, t_end)
            if shared:
                days += shared
                rent += amount * shared / (t_end - t_start).days
        return CostRow(
            label=label,
            start=lo,
            end=hi,
            rent_days=days,
            contracted_places=agreement.contracted_places,
            rent=rent,
            occupied_place_days=occupied,
            per_inmate_month_fee=fee,
            currency=currency,
        )

    bounds = _quarter_bounds(start, end)
    occupancy = occupied_place_days_by_window(agreement=agreement, windows=bounds)
    quarters = [
        row(f"{lo.year} Q{(lo.month - 1) // 3 + 1}", lo, hi, occupied)
        for (lo, hi), occupied in zip(bounds, occupancy, strict=True)
    ]
    years = []
    for year in sorted({q.start.year for q in quarters}):
        mine = [q for q in quarters if q.start.year == year]
        occupied = sum(q.occupied_place_days for q in mine)
        years.append(row(str(year), mine[0].start, mine[-1].end, occupied))
    total = row(
        f"{start.isoformat()} – {(end - timedelta(days=1)).isoformat()}",
        start,
        end,
        sum(q.occupied_place_days for q in quarters),
    )
    return CostReport(
        agreement=agreement, start=start, end=end, quarters=quarters, years=years, total=total
    )


def report_agreement(agreement_id: int | None = None) -> Agreement | None:
    """The agreement a report is for: the one asked for, or the first signed."""
    agreements = Agreement.objects.order_by("signed_on", "pk")
    if agreement_id is not None:
        return agreements.filter(pk=agreement_id).first()
    return agreements.first()
