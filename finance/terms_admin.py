"""Recording and amending an agreement's pricing terms: the finance officer's.

One row per agreement, validated by the model and its constraints (the model's own price, amounts
above zero, an ISO currency) with messages that name the field; the write history keeps every
version with who made it. Generated tranches are not rewritten by an amendment: the schedule is
generated again by its own action.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from finance.models import PricingTerms
from finance.pricing_fields import PRICING_TERMS_FIELDS
from program.cells.models import Agreement
from program.cells.programme_admin import require_role, saved
from program.core.errors import ApplicationError

FIELDS = PRICING_TERMS_FIELDS


@transaction.atomic
def pricing_terms_save(
    *,
    terms: PricingTerms | None,
    agreement: Agreement,
    values: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser,
) -> PricingTerms:
    """Record an agreement's pricing terms, or amend them. An agreement has one set of terms."""
    require_role(actor, "pricing.manage", _("record or amend pricing terms"))
    if terms is None and PricingTerms.objects.filter(agreement=agreement).exists():
        raise ApplicationError(
            _("%(name)s has pricing terms already: amend those.") % {"name": agreement.name},
            details={"agreement": ["has terms"]},
        )
    row = terms or PricingTerms(agreement=agreement)
    if values.get("currency"):
        values = {**values, "currency": str(values["currency"]).upper()}
    return saved(row, {**values, "agreement": row.agreement if terms else agreement})
