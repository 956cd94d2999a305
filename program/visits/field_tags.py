"""Data classification of family contact (registry: program/core/field_tags.py).

Who visits whom, when, and why a visit did not happen are personal data about the inmate and
the relatives; nothing here is a conviction or a health fact, so the host facility's staff and
finance may see what their work needs of it.
"""

from program.core.field_tags import NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("Visit", NONE, *TIMESTAMPED, "facility", "kind", "status", "version"),
    **tagged(
        "Visit",
        PERSONAL,
        "inmate",
        "requested_by",
        "requested_on",
        "wished_on",
        "interpreter_needed",
        "interpreter_language",
        "note",
        "recorded_by",
        "starts_at",
        "ends_at",
        "booked_by",
        "outcome_reason",
        "outcome_by",
        "outcome_at",
    ),
    **tagged("Visitor", NONE, *TIMESTAMPED, "visit"),
    **tagged("Visitor", PERSONAL, "name", "relation", "age_group"),
}
