"""The Denmark–Kosovo pricing terms (docs/domain-rules.md §2): EUR 15 m a year for the 300 places, a
EUR 5 m start fee, and EUR 6 m a year of green-energy aid as a stream of its own; then (after the
demo users exist) the quarterly payment schedule with its first tranches invoiced, approved and
paid, one disputed and one overdue."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count

from finance import conf, services
from finance.models import AidStream, PricingTerms, Tranche, TrancheCondition
from program.cells.demo import AGREEMENT_NAME, OPENING
from program.cells.models import Agreement
from program.core.demo import register
from program.core.demo_users import demo_password
from program.core.roles import Role


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


# The demo's payment history: everything due before this day has been invoiced, approved and paid.
PAID_BEFORE = date(2026, 10, 1)
# The day the demo runs the daily job for last: the October tranches are then past the grace period.
ADVANCED_TO = date(2026, 11, 15)
COMPARISON_PER_INMATE_MONTH = Decimal("8500.00")  # Sweden–Tartu, docs/domain-rules.md §2
EUR_DKK = Decimal("7.460000")
SECOND_APPROVER = "finance_approver2"


def _second_approver(out: TextIO) -> Any:
    """A second approver, for when each tranche needs two (FINANCE_APPROVAL_LEVELS = 2)."""
    person, created = get_user_model().objects.get_or_create(
        username=SECOND_APPROVER,
        defaults={"first_name": "Demo", "last_name": "Finance approver (second)", "email": ""},
    )
    if created:
        person.set_password(demo_password(SECOND_APPROVER))
        person.save(update_fields=["password"])
    person.groups.add(Group.objects.get(name=Role.FINANCE_APPROVER))
    out.write(
        f"  {SECOND_APPROVER:<18} {demo_password(SECOND_APPROVER):<28} "
        "Finance approver (second level)\n"
    )
    return person


def _settle(tranche: Tranche, *, officer: Any, approvers: list[Any]) -> None:
    """Invoice, approve and pay one tranche through the services, on fixed dates."""
    code = tranche.stream.replace("_", "-").upper()
    tranche = services.tranche_invoice(
        tranche=tranche,
        amount=tranche.amount,
        invoice_reference=f"XK-{code}-{tranche.due_on:%Y-%m}",
        invoiced_on=tranche.due_on + timedelta(days=2),
        actor=officer,
    )
    for approver in approvers:
        tranche = services.tranche_approve(
            tranche=tranche, actor=approver, comment="Checked against the agreement (demo)"
        )
    services.tranche_pay(
        tranche=tranche,
        paid_on=tranche.due_on + timedelta(days=9),
        bank_reference=f"DK-{code}-{tranche.due_on:%Y%m%d}",
        amount=tranche.amount,
        eur_dkk_rate=EUR_DKK,
        actor=officer,
    )


@register(order=110)
def load_schedule(out: TextIO) -> None:
    """The quarterly schedule with its first tranches settled, one disputed and one overdue.

    Runs after the demo users exist. Everything goes through the services, on fixed dates; each
    step first looks at what is there, so a second run changes nothing.
    """
    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    PricingTerms.objects.filter(agreement=agreement, per_inmate_month_fee__isnull=True).update(
        per_inmate_month_fee=COMPARISON_PER_INMATE_MONTH
    )
    terms = PricingTerms.objects.select_related("agreement").get(agreement=agreement)
    services.schedule_generate(
        terms=terms, frequency=services.Frequency.QUARTERLY, include_extension=True, actor=None
    )
    users = get_user_model().objects
    officer = users.get(username=Role.FINANCE_OFFICER.value)
    approvers = [users.get(username=Role.FINANCE_APPROVER.value)]
    if conf.approval_levels() == 2:
        approvers.append(_second_approver(out))
    tranches = Tranche.objects.filter(agreement=agreement)
    # Only what has not been acted on: a tranche someone since disputed or withheld stays so.
    to_settle = tranches.filter(
        due_on__lt=PAID_BEFORE,
        status__in=[Tranche.Status.PLANNED, Tranche.Status.DUE, Tranche.Status.OVERDUE],
    )
    for day in sorted(set(to_settle.values_list("due_on", flat=True))):
        # The daily job as it would have run that day: the tranches fall due, then are settled.
        services.tranches_advance(today=day)
        for tranche in to_settle.filter(due_on=day).order_by("stream", "pk"):
            _settle(tranche, officer=officer, approvers=approvers)
    services.tranches_advance(today=ADVANCED_TO)
    october = tranches.filter(due_on=PAID_BEFORE)
    aid = october.filter(stream=Tranche.Stream.AID, status=Tranche.Status.OVERDUE).first()
    if aid is not None:
        services.tranche_dispute(
            tranche=aid,
            reason="The host's report on the green-energy milestone is not yet received (demo)",
            actor=approvers[0],
        )
    first_2027 = tranches.filter(stream=Tranche.Stream.RENT, due_on=date(2027, 1, 1)).first()
    if (
        first_2027 is not None
        and first_2027.status == Tranche.Status.PLANNED
        and not first_2027.conditions.exists()
    ):
        services.condition_add(
            tranche=first_2027,
            kind=TrancheCondition.Kind.OCCUPANCY_MATCHED,
            description="Kosovo's occupancy statement for Q4 2026 matches the daily roll (demo)",
            actor=officer,
        )
    # A condition met the way it must be: the officer records the evidence, an approver signs.
    second_2027 = tranches.filter(stream=Tranche.Stream.RENT, due_on=date(2027, 4, 1)).first()
    if (
        second_2027 is not None
        and second_2027.status == Tranche.Status.PLANNED
        and not second_2027.conditions.exists()
    ):
        ready = services.condition_add(
            tranche=second_2027,
            kind=TrancheCondition.Kind.INSPECTION_CLOSED,
            description="The findings of the 2026 inspection of Gjilan are closed (demo)",
            actor=officer,
        )
        services.condition_record_evidence(
            condition=ready,
            reference="KSHK-2026-118 (demo)",
            note="Closing letter from the Kosovo Correctional Service (demo)",
            actor=officer,
        )
        services.condition_sign_off(condition=ready, actor=approvers[0])
    counts = dict(
        tranches.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    summary = ", ".join(f"{counts[s]} {s}" for s in Tranche.Status.values if s in counts)
    out.write(f"Payment schedule: {summary}\n")


@register(order=120)
def load_finding_condition(out: TextIO) -> None:
    """The July 2027 rent waits for the Ombudsman's finding on the children's visiting room
    (program/inspections/demo.py): a condition that is met only once its action is done."""
    from finance.services_findings import condition_link_finding
    from program.inspections.demo import CONDITION_FINDING
    from program.inspections.models import Finding

    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    tranche = Tranche.objects.filter(
        agreement=agreement, stream=Tranche.Stream.RENT, due_on=date(2027, 7, 1)
    ).first()
    finding = Finding.objects.filter(title=CONDITION_FINDING).first()
    if tranche is None or finding is None or tranche.status != Tranche.Status.PLANNED:
        return
    if tranche.conditions.filter(finding=finding).exists():
        return
    condition_link_finding(
        tranche=tranche,
        finding=finding,
        description="The Ombudsman's finding on children's visits is closed (demo)",
        actor=get_user_model().objects.get(username=Role.FINANCE_OFFICER.value),
    )
    out.write("Payment schedule: the July 2027 rent waits for an inspection finding\n")


# The travel-support stream's demo (finance/travel/demo.py) registers itself on import.
from finance.travel import demo as _travel_demo  # noqa: E402, F401
