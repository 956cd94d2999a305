"""Data classification of the incident fields (registry: program/core/field_tags.py).

An incident is about the people in it: personal. Injuries are health data, so the host
facility's staff, who report them, do not read them back (docs/incidents.md, minimisation).
"""

from program.core.field_tags import HEALTH, NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "Incident",
        NONE,
        "id",
        "created_at",
        "updated_at",
        "version",
        "state",
        "reported_at",
        "review_due_at",
        "facility",
        "unit",
        "cell",
    ),
    **tagged(
        "Incident",
        PERSONAL,
        "kind",
        "occurred_at",
        "description",
        "actions_taken",
        "staff_involved",
        "reported_by",
    ),
    **tagged("Incident", HEALTH, "injuries"),
    **tagged("IncidentInmate", NONE, "id"),
    **tagged("IncidentInmate", PERSONAL, "incident", "inmate"),
    **tagged("IncidentStaff", NONE, "id"),
    **tagged("IncidentStaff", PERSONAL, "incident", "user"),
    **tagged("IncidentReview", NONE, "id", "incident", "reviewed_at", "outcome"),
    **tagged(
        "IncidentReview", PERSONAL, "reviewer", "findings", "follow_up", "information_requested"
    ),
    **tagged("IncidentAddition", NONE, "id", "incident", "added_at"),
    **tagged("IncidentAddition", PERSONAL, "added_by", "text"),
    **tagged("AuthorityContact", NONE, "id", "created_at", "updated_at", "agreement", "email"),
    **tagged(
        "AuthorityNotice",
        NONE,
        "id",
        "incident",
        "authority",
        "email",
        "created_at",
        "state",
        "sent_at",
        "error",
    ),
    **tagged("InmateNotice", NONE, "id", "incident", "language", "created_at"),
    **tagged("InmateNotice", PERSONAL, "inmate", "text"),
}
