"""Data classification of the audit app's fields (registry: program/core/field_tags.py).

The access log names the member of staff, the person looked at (by id) and the purpose: personal.
The history models (…Change) are tagged by rule: each mirrored field has the tag of the field it
copies, so a copy of a judgment is as criminal as the judgment; their own `pgh_*` columns are
tagged in EVENT_FIELD_TAGS below.
"""

from program.core.field_tags import NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("AccessLogEntry", NONE, "id", "at", "action", "subject_type", "request_id", "route"),
    # Who looked, whom they looked at (an id that identifies the person), why, and the search
    # criterion as typed (often a name).
    **tagged(
        "AccessLogEntry",
        PERSONAL,
        "actor",
        "actor_username",
        "subject_id",
        "subject_ids",
        "purpose",
        "criterion",
    ),
    **tagged("AuditPurge", NONE, "id", "at", "older_than_days", "cutoff", "access_log_deleted"),
    "AuditPurge.actor": PERSONAL,
}

# The columns pghistory adds to every history model.
EVENT_FIELD_TAGS: dict[str, Tag] = {
    **dict.fromkeys(("pgh_id", "pgh_created_at", "pgh_label", "pgh_obj"), NONE),
    "pgh_context_id": NONE,
    # The acting user's id and name, the request id and route: who made the change.
    "pgh_context": PERSONAL,
}
