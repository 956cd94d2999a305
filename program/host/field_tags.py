"""Data classification of the host facility's fields (registry: program/core/field_tags.py).

Where a member of staff works is about a member of staff: personal. A check-in names a person
and what they arrived with: personal. A headcount is a number per unit and day: no person.
"""

from program.core.field_tags import NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("StaffPosting", NONE, "id", "created_at", "updated_at"),
    **tagged("StaffPosting", PERSONAL, "user", "facility"),
    **tagged("ArrivalCheck", NONE, *TIMESTAMPED, "facility", "transport_id", "checked_on"),
    **tagged(
        "ArrivalCheck",
        PERSONAL,
        "inmate",
        "case_id",
        "outcome",
        "identity_confirmed",
        "items",
        "remarks",
        "refusal_reason",
        "placement",
        "checked_by",
    ),
    **tagged(
        "HeadcountConfirmation",
        NONE,
        *TIMESTAMPED,
        "facility",
        "unit",
        "day",
        "counted",
        "on_roll",
        "difference_reason",
        "superseded_at",
        "superseded_by",
    ),
    **tagged("HeadcountConfirmation", PERSONAL, "confirmed_by"),
}
