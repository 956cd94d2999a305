"""Reads of pricing terms, aid streams and the payment schedule, shaped for pages and the API."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
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
from program.cells.providers import RentTerms
from program.cells.selectors import occupied_place_days_by_window

ZERO = Decimal("0.00")


def rent_terms_for_occupancy(agreement: Agreement) -> RentTerms | None:
    """What occupancy needs of the pricing terms: when rent starts and whether empty places
    are paid for (not with per-inmate-month pricing)."""
    terms = PricingTerms.objects.filter(agreement=agreement).first()
    if terms is None:
        return None
    return RentTerms(
        starts_on=terms.rent_starts_on,
        pays_for_empty_places=terms.pricing_model != PricingTerms.Model.PER_INMATE_MONTH,
    )


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
        Prefetch(
            "conditions",
            queryset=TrancheCondition.objects.select_related(
                "met_by", "signed_off_by", "finding"
            ).prefetch_related("finding__actions"),
        ),
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


OPEN_STATUSES = ["planned", "due", "overdue", "invoiced", "approved", "disputed"]


def tranches_next(*, limit: int = 8) -> QuerySet[Tranche]:
    """The next tranches not yet settled, soonest first."""
    return tranche_list().filter(status__in=OPEN_STATUSES)[:limit]


# --- What an occupied place-day costs ---------------------------------------------------------

# An inmate-month is a calendar month: the place-days of a month divided by the days of that
# month (28 to 31), never an average month. Billing and the cost report count the same way.
CENT = Decimal("0.01")
MAX_REPORT_YEARS = 20


def _month_after(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_pieces(start: date, end: date, *, cuts: tuple[date, ...] = ()) -> list[tuple[date, date]]:
    """[start, end) cut at every first of a month and at each of `cuts`: each piece lies in one
    calendar month."""
    inner = sorted({c for c in cuts if start < c < end})
    pieces = []
    lo = start
    while lo < end:
        hi = min(_month_after(lo), end)
        for cut in inner:
            if lo < cut < hi:
                hi = cut
                break
        pieces.append((lo, hi))
        lo = hi
    return pieces


def month_charge(*, fee: Decimal, occupied_place_days: int, month: date) -> Decimal:
    """A month's per-inmate-month rent: fee × occupied place-days ÷ days in that month, to the
    cent (half up). A full month in place is the fee; 10 days of a 30-day month a third of it."""
    amount = fee * occupied_place_days / days_in_month(month)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MonthCharge:
    start: date
    end: date  # exclusive, within the same calendar month
    occupied_place_days: int
    amount: Decimal

    @property
    def inmate_months(self) -> Decimal:
        return Decimal(self.occupied_place_days) / days_in_month(self.start)


def monthly_charges(
    *, agreement: Agreement, fee: Decimal, start: date, end: date
) -> list[MonthCharge]:
    """Per calendar month (or part of one) in [start, end): the occupied place-days of the
    agreement's places and their per-inmate-month rent (one query)."""
    pieces = month_pieces(start, end)
    occupied = occupied_place_days_by_window(agreement=agreement, windows=pieces)
    return [
        MonthCharge(
            start=lo,
            end=hi,
            occupied_place_days=days,
            amount=month_charge(fee=fee, occupied_place_days=days, month=lo),
        )
        for (lo, hi), days in zip(pieces, occupied, strict=True)
    ]


def rent_window(terms: PricingTerms) -> tuple[date, date] | None:
    """[rent start, end of the full term): the days rent is owed for, if rent has a start."""
    if terms.rent_starts_on is None:
        return None
    years = terms.agreement.total_term_years
    start = terms.rent_starts_on
    leap_day = (start.month, start.day) == (2, 29)
    end = start.replace(year=start.year + years, day=28 if leap_day else start.day)
    return start, end


@dataclass(frozen=True)
class CostRow:
    """Rent owed, occupancy and what an occupied place-day cost over [start, end)."""

    label: str
    start: date
    end: date  # exclusive
    rent_days: int  # days of the period rent is owed for
    contracted_places: int
    rent: Decimal  # owed for the period
    occupied_place_days: int
    per_inmate_month_fee: Decimal | None
    currency: str
    # Σ over calendar months of the month's occupied place-days ÷ its days.
    inmate_months_exact: Decimal = ZERO
    # Σ over calendar months of the month's charge at the per-inmate-month price.
    per_inmate_month_total: Decimal | None = None

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
        return self.inmate_months_exact.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def per_inmate_month_cost(self) -> Decimal | None:
        """What the same occupancy costs at the per-inmate-month price, month by month."""
        return self.per_inmate_month_total

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


def _overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    return max((min(a_end, b_end) - max(a_start, b_start)).days, 0)


@dataclass(frozen=True)
class _Piece:
    start: date
    end: date
    occupied: int
    in_rent: bool


def cost_report(*, agreement: Agreement, start: date, end: date) -> CostReport:
    """Cost per occupied place-day by quarter and by year over [start, end).

    Occupancy comes from program.cells (placements that exist, no forecast), counted per
    calendar month in one query; quarters, years and the total are sums of months. Rent owed:
    with a fixed annual fee, the schedule's rent tranches (and corrections), each spread evenly
    over the days of its own period; priced per inmate-month, each month's occupied place-days
    at the monthly fee ÷ the days of that month, from the day rent starts (as it is billed).
    """
    terms = PricingTerms.objects.select_related("agreement").filter(agreement=agreement).first()
    fee = terms.per_inmate_month_fee if terms is not None else None
    currency = terms.currency if terms is not None else "EUR"
    per_month = terms is not None and terms.pricing_model == PricingTerms.Model.PER_INMATE_MONTH
    window = rent_window(terms) if terms is not None else None
    cuts = window if window is not None else ()
    bounds = month_pieces(start, end, cuts=cuts)
    occupancy = occupied_place_days_by_window(agreement=agreement, windows=bounds)
    pieces = [
        _Piece(
            lo,
            hi,
            occupied,
            in_rent=window is not None and window[0] <= lo and hi <= window[1],
        )
        for (lo, hi), occupied in zip(bounds, occupancy, strict=True)
    ]
    rent_tranches: list[tuple[date, date, Decimal, str]] = []
    if not per_month:
        rent_tranches = list(
            Tranche.objects.filter(
                agreement=agreement,
                stream__in=[Tranche.Stream.RENT, Tranche.Stream.CORRECTION],
                period_start__lt=end,
                period_end__gt=start,
            ).values_list("period_start", "period_end", "amount", "currency")  # type: ignore[arg-type]
        )

    def row(label: str, mine: list[_Piece]) -> CostRow:
        lo, hi = mine[0].start, mine[-1].end
        rent = ZERO
        if per_month:
            assert fee is not None  # noqa: S101 (the pricing model requires it)
            rent = sum(
                (
                    month_charge(fee=fee, occupied_place_days=p.occupied, month=p.start)
                    for p in mine
                    if p.in_rent
                ),
                start=ZERO,
            )
            days = sum((p.end - p.start).days for p in mine if p.in_rent)
        else:
            tranche_days: dict[tuple[date, date], int] = {}
            for t_start, t_end, amount, _currency in rent_tranches:
                shared = _overlap_days(lo, hi, t_start, t_end)
                if shared:
                    tranche_days[(t_start, t_end)] = shared
                    rent += amount * shared / (t_end - t_start).days
            # Days covered by rent, counted once however many corrections share a period.
            days = sum(tranche_days.values())
        occupied = sum(p.occupied for p in mine)
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
            inmate_months_exact=sum(
                (Decimal(p.occupied) / days_in_month(p.start) for p in mine), start=ZERO
            ),
            per_inmate_month_total=(
                None
                if fee is None
                else sum(
                    (
                        month_charge(fee=fee, occupied_place_days=p.occupied, month=p.start)
                        for p in mine
                    ),
                    start=ZERO,
                )
            ),
        )

    quarters: list[CostRow] = []
    by_quarter: dict[tuple[int, int], list[_Piece]] = {}
    for piece in pieces:
        quarter = (piece.start.month - 1) // 3 + 1
        by_quarter.setdefault((piece.start.year, quarter), []).append(piece)
    for (year, number), mine in by_quarter.items():
        quarters.append(row(f"{year} Q{number}", mine))
    years = []
    for year in sorted({p.start.year for p in pieces}):
        years.append(row(str(year), [p for p in pieces if p.start.year == year]))
    total = row(f"{start.isoformat()} – {(end - timedelta(days=1)).isoformat()}", pieces)
    return CostReport(
        agreement=agreement, start=start, end=end, quarters=quarters, years=years, total=total
    )


def report_agreement(agreement_id: int | None = None) -> Agreement | None:
    """The agreement a report is for: the one asked for, or the first signed."""
    agreements = Agreement.objects.order_by("signed_on", "pk")
    if agreement_id is not None:
        return agreements.filter(pk=agreement_id).first()
    return agreements.first()


def tranches_awaiting_approval_by(user: Any) -> QuerySet[Tranche]:
    """Invoiced tranches this approver may approve now: not prepared by them and not yet
    approved by them in the current round (the four-eyes rules the service enforces), oldest
    due first."""
    mine = TrancheApproval.objects.filter(
        tranche_id=OuterRef("pk"),
        round=OuterRef("approval_round"),
        approver_id=user.pk,
        decision=TrancheApproval.Decision.APPROVE,
    )
    return (
        Tranche.objects.filter(status=Tranche.Status.INVOICED)
        .exclude(prepared_by_id=user.pk)
        .exclude(Exists(mine))
        .select_related("agreement", "aid_stream")
        .order_by("due_on", "stream", "id")
    )
