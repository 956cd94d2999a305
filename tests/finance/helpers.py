"""Small builders for finance tests: terms with a schedule, users per role, tranches in a state."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from finance import services
from finance.models import PricingTerms, Tranche
from program.core.roles import Role
from tests.factories import AidStreamFactory, PricingTermsFactory

RENT_START = date(2026, 4, 1)
PDF = b"%PDF-1.4\n%evidence\n"


def user(username: str, role: str = Role.FINANCE_OFFICER) -> Any:
    person, created = get_user_model().objects.get_or_create(username=username)
    if created:
        person.groups.add(Group.objects.get(name=role))
    return person


def terms_with_aid(**overrides: Any) -> PricingTerms:
    overrides.setdefault("rent_starts_on", RENT_START)
    overrides.setdefault("agreement__extension_confirmed", True)
    terms = PricingTerms.objects.get(pk=PricingTermsFactory(**overrides).pk)
    AidStreamFactory(agreement=terms.agreement)
    return terms


def scheduled(frequency: str = "quarterly", **overrides: Any) -> PricingTerms:
    terms = terms_with_aid(**overrides)
    services.schedule_generate(
        terms=terms, frequency=frequency, include_extension=True, actor=user("frida")
    )
    return terms


def first_rent(terms: PricingTerms) -> Tranche:
    return Tranche.objects.filter(agreement=terms.agreement, stream="rent").order_by("due_on")[0]


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def due(tranche: Tranche) -> Tranche:
    services.tranches_advance(today=tranche.due_on)
    tranche.refresh_from_db()
    return tranche


def invoiced(tranche: Tranche, officer: Any = None) -> Tranche:
    return services.tranche_invoice(
        tranche=due(tranche),
        amount=tranche.amount,
        invoice_reference="INV-1",
        invoiced_on=tranche.due_on,
        actor=officer or user("frida"),
    )


def approved(tranche: Tranche) -> Tranche:
    tranche = invoiced(tranche)
    tranche = services.tranche_approve(tranche=tranche, actor=user("anders", Role.FINANCE_APPROVER))
    return services.tranche_approve(tranche=tranche, actor=user("birgit", Role.FINANCE_APPROVER))


def paid(tranche: Tranche, reference: str = "BANK-1") -> Tranche:
    tranche = approved(tranche)
    return services.tranche_pay(
        tranche=tranche,
        paid_on=tranche.due_on,
        bank_reference=reference,
        amount=tranche.amount,
        eur_dkk_rate=Decimal("7.4600"),
        actor=user("frida"),
    )
