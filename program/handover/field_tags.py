"""Data classification of the handover's fields (registry: program/core/field_tags.py).

The alerts and what to do about them describe the person (personal): they are what everyone who
handles the person reads, the host facility's staff included. The health details are health data
(HEALTH): only health staff read them. Nothing here is criminal: the record says what to watch for,
never why the person is in prison.
"""

from program.core.field_tags import HEALTH, NONE, PERSONAL, Tag, tagged
from program.handover.models import CASEWORKER_FIELDS

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "Handover",
        NONE,
        "id",
        "created_at",
        "updated_at",
        "edition",
        "version",
        "superseded_by",
        "superseded_at",
    ),
    **tagged("Handover", PERSONAL, "case", "batch", "facility", *CASEWORKER_FIELDS),
    **tagged("Handover", HEALTH, "health_details"),
    **tagged(
        "Handover",
        PERSONAL,
        "health_reviewed_by",
        "health_reviewed_at",
        "completed_by",
        "completed_at",
        "escort_officer",
        "escort_recorded_by",
        "escort_acknowledged_at",
        "arrival_acknowledged_by",
        "arrival_acknowledged_at",
        "correction_reason",
        "created_by",
        "updated_by",
    ),
}
