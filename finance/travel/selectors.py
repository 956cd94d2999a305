"""Reads of the travel-support stream: grants with what finance may know of their visit, and
the budget report (granted, approved, paid and left, per programme and year).

What the report counts (docs/finance.md, travel support):
- granted: every grant not rejected (waiting for approval, approved or paid): money committed;
- approved: grants approved or paid;
- paid: grants paid;
- left: the budget less what is granted.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from finance.travel.models import TravelBudget, TravelGrant, TravelGrantApproval
from program.visits import selectors as visit_selectors

ZERO = Decimal("0.00")
Status = TravelGrant.Status
COMMITTED = [Status.PREPARED, Status.APPROVED, Status.PAID]


def _sum(condition: Q) -> Coalesce:
    return Coalesce(
        Sum("grants__amount", filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def granted_total(*, budget: TravelBudget) -> Decimal:
    total = TravelGrant.objects.filter(budget=budget, status__in=COMMITTED).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=DecimalField())
    )["total"]
    return Decimal(total)


@dataclass(frozen=True)
class BudgetRow:
    budget_id: int
    agreement: str
    year: int
    currency: str
    budget: Decimal
    granted: Decimal
    approved: Decimal
    paid: Decimal
    waiting: int

    @property
    def left(self) -> Decimal:
        return self.budget - self.granted


def budget_report(*, year: int | None = None, agreement: int | None = None) -> list[BudgetRow]:
    """One row per programme and year, summed in one query."""
    budgets = TravelBudget.objects.select_related("agreement").order_by("agreement__name", "year")
    if year is not None:
        budgets = budgets.filter(year=year)
    if agreement is not None:
        budgets = budgets.filter(agreement_id=agreement)
    annotated = budgets.annotate(
        granted=_sum(Q(grants__status__in=COMMITTED)),
        approved=_sum(Q(grants__status__in=[Status.APPROVED, Status.PAID])),
        paid=_sum(Q(grants__status=Status.PAID)),
        waiting=Count("grants", filter=Q(grants__status=Status.PREPARED)),
    )
    return [
        BudgetRow(
            budget_id=b.pk,
            agreement=b.agreement.name,
            year=b.year,
            currency=b.currency,
            budget=b.amount,
            granted=b.granted,
            approved=b.approved,
            paid=b.paid,
            waiting=b.waiting,
        )
        for b in annotated
    ]


def grant_list(
    *, status: str = "", year: int | None = None, agreement: int | None = None
) -> QuerySet[TravelGrant]:
    grants = TravelGrant.objects.select_related(
        "budget__agreement", "prepared_by", "paid_by"
    ).order_by("-created_at", "-id")
    if status:
        grants = grants.filter(status=status)
    if year is not None:
        grants = grants.filter(budget__year=year)
    if agreement is not None:
        grants = grants.filter(budget__agreement_id=agreement)
    return grants


def with_visits(grants: list[TravelGrant]) -> list[TravelGrant]:
    """Attach to each grant what finance may see of its visit (date, kind, facility, the
    visitors' relations), read in two queries through the visits app's selector."""
    visits = {
        v.pk: v for v in visit_selectors.visits_for_travel_support(ids=[g.visit_id for g in grants])
    }
    for grant in grants:
        grant.visit_seen = visits.get(grant.visit_id)  # type: ignore[attr-defined]
    return grants


def approvals_of(grant: TravelGrant) -> list[TravelGrantApproval]:
    return list(grant.approvals.select_related("approver").order_by("at", "id"))


def relations_text(visit: Any) -> str:
    """ "child (6–11 years), partner": the visitors' relations, no names."""
    parts = []
    for visitor in visit.visitors.all():
        text = str(visitor.get_relation_display()).lower()
        if visitor.age_group:
            text += f" ({visitor.get_age_group_display()})"
        parts.append(text)
    return ", ".join(parts)
