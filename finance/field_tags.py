"""Data classification of the finance app's fields (registry: program/core/field_tags.py).

Money, the schedule and its workflow are financial; the staff who prepared, approved and paid,
and the named person who signed a condition off, are personal. Nothing here is about an inmate.
"""

from finance.pricing_fields import PRICING_TERMS_FIELDS
from finance.travel.field_tags import TRAVEL_FIELD_TAGS
from program.core.field_tags import FINANCIAL, NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("PricingTerms", NONE, *TIMESTAMPED, "agreement"),
    **tagged("PricingTerms", FINANCIAL, *PRICING_TERMS_FIELDS),
    **tagged("AidStream", NONE, *TIMESTAMPED, "agreement"),
    **tagged("AidStream", FINANCIAL, "name", "budget_owner", "annual_amount", "currency", "years"),
    **tagged("Tranche", NONE, *TIMESTAMPED, "agreement", "version"),
    **tagged(
        "Tranche",
        FINANCIAL,
        "stream",
        "aid_stream",
        "period_start",
        "period_end",
        "due_on",
        "amount",
        "currency",
        "status",
        "invoice_reference",
        "invoiced_on",
        "approval_round",
        "reason",
        "decided_at",
        "corrects",
        "occupied_place_days",
    ),
    **tagged("Tranche", PERSONAL, "prepared_by", "decided_by"),
    **tagged("TrancheCondition", NONE, *TIMESTAMPED, "tranche"),
    # The finding a condition waits for: its title and status, never its text or its person.
    **tagged("TrancheCondition", NONE, "finding"),
    **tagged(
        "TrancheCondition",
        FINANCIAL,
        "kind",
        "description",
        "met_at",
        "evidence",
        "evidence_reference",
        "evidence_at",
        "note",
    ),
    **tagged(
        "TrancheCondition", PERSONAL, "met_by", "signed_off_by", "added_by", "signed_off_by_legacy"
    ),
    **tagged("TrancheApproval", NONE, "id", "tranche"),
    **tagged("TrancheApproval", FINANCIAL, "round", "level", "decision", "comment", "at"),
    **tagged("TrancheApproval", PERSONAL, "approver", "preparer"),
    **tagged("Payment", NONE, *TIMESTAMPED, "tranche"),
    **tagged(
        "Payment",
        FINANCIAL,
        "paid_on",
        "bank_reference",
        "amount",
        "currency",
        "eur_dkk_rate",
        "amount_dkk",
    ),
    "Payment.recorded_by": PERSONAL,
    **tagged("TrancheEvent", NONE, "id", "tranche", "at"),
    **tagged("TrancheEvent", FINANCIAL, "from_status", "to_status", "text"),
    "TrancheEvent.actor": PERSONAL,
    # The travel-support stream (finance/travel/field_tags.py).
    **TRAVEL_FIELD_TAGS,
}
