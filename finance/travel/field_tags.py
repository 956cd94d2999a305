"""Data classification of the travel-support stream (merged into finance/field_tags.py).

Who prepared, approved and paid is about a member of staff; the money is financial. The grant
names its visit (an id), never the inmate's conviction or health.
"""

from program.core.field_tags import FINANCIAL, NONE, PERSONAL, TIMESTAMPED, Tag, tagged

TRAVEL_FIELD_TAGS: dict[str, Tag] = {
    **tagged("TravelBudget", NONE, *TIMESTAMPED, "agreement", "year"),
    **tagged("TravelBudget", FINANCIAL, "amount", "currency"),
    **tagged("TravelGrant", NONE, *TIMESTAMPED, "budget", "version"),
    "TravelGrant.visit": PERSONAL,
    **tagged(
        "TravelGrant",
        FINANCIAL,
        "amount",
        "currency",
        "covers",
        "status",
        "paid_on",
        "payment_reference",
    ),
    **tagged("TravelGrant", PERSONAL, "prepared_by", "rejection_reason", "paid_by"),
    **tagged("TravelGrantApproval", NONE, "id", "grant", "level", "at"),
    **tagged("TravelGrantApproval", FINANCIAL, "decision"),
    **tagged("TravelGrantApproval", PERSONAL, "approver", "preparer", "comment"),
}
