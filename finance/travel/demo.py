"""The travel-support budget for Gjilan (DKK 3.5 m a year) and grants for the relatives' journeys
to the demo's visits in person: two approved by two approvers (one of them paid) and one waiting
for its approvals. Runs after the visits (order 115); a second run changes nothing."""

from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from finance.demo import SECOND_APPROVER
from finance.travel import services
from finance.travel.models import TravelBudget, TravelGrant
from program.cells.demo import AGREEMENT_NAME
from program.cells.models import Agreement
from program.core.demo import register
from program.core.roles import Role
from program.visits import selectors as visit_selectors

ANNUAL_BUDGET = Decimal("3500000.00")
GRANTS = [
    (Decimal("6850.00"), "Return flights Copenhagen–Pristina for three, two nights' stay"),
    (Decimal("4200.00"), "Return flights Copenhagen–Pristina for one, bus Pristina–Gjilan"),
    (Decimal("5900.00"), "Return flights Copenhagen–Pristina for two, two nights' stay"),
]


@register(order=120)
def load(out: TextIO) -> None:
    agreement = Agreement.objects.filter(name=AGREEMENT_NAME).first()
    users = get_user_model().objects
    officer = users.filter(username=Role.FINANCE_OFFICER.value).first()
    approvers = list(
        users.filter(username__in=[Role.FINANCE_APPROVER.value, SECOND_APPROVER]).order_by("pk")
    )
    if agreement is None or officer is None or len(approvers) < 2:
        return
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year, this_year + 1):
        if not TravelBudget.objects.filter(agreement=agreement, year=year).exists():
            services.travel_budget_set(
                agreement=agreement, year=year, amount=ANNUAL_BUDGET, actor=officer
            )
    if TravelGrant.objects.filter(budget__agreement=agreement).exists():
        return
    visits = list(
        visit_selectors.visits_open_for_travel_support()
        .filter(facility__agreement=agreement)
        .order_by("starts_at")[: len(GRANTS)]
    )
    for n, (visit, (amount, covers)) in enumerate(zip(visits, GRANTS, strict=False)):
        grant = services.travel_grant_prepare(
            visit=visit.pk, amount=amount, covers=covers, actor=officer
        )
        if n == len(GRANTS) - 1:
            continue  # the last one waits for its two approvals
        for approver in approvers:
            grant = services.travel_grant_approve(
                grant=grant, actor=approver, comment="Within the guidelines (demo)"
            )
        if n == 0:
            services.travel_grant_pay(
                grant=grant,
                paid_on=timezone.localdate(),
                payment_reference=f"DK-TRAVEL-{grant.pk:05d}",
                actor=officer,
            )
    out.write(f"Travel support: DKK 3,500,000 a year; {len(visits)} grants\n")
