"""Data classification of the complaints' fields (registry: program/core/field_tags.py).

What a complaint says and what it was answered is free text that may carry medical facts (a
complaint about health care) or facts of the case: it is minimised like health data, so the
roles that must not receive it (the host facility's staff among them) are checked against it.
That a complaint was received, when and how, is personal.
"""

from program.core.field_tags import HEALTH, NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("Authority", NONE, "id", "code", "name_da", "name_en", "is_ombudsman"),
    **tagged("Authority", NONE, "created_at", "updated_at"),
    **tagged(
        "DeadlineRule",
        NONE,
        "id",
        "agreement",
        "kind",
        "days",
        "remind_days_before",
        "source",
        "is_assumption",
        "created_at",
        "updated_at",
    ),
    **tagged("Complaint", NONE, "id", "created_at", "updated_at", "version"),
    **tagged(
        "Complaint",
        PERSONAL,
        "inmate",
        "facility",
        "received_on",
        "channel",
        "sealed",
        "language",
        "kind",
        "authority",
        "handler",
        "deadline",
        "remind_on",
        "status",
        "answered_on",
        "answered_by",
        "registered_by",
    ),
    **tagged("Complaint", HEALTH, "subject", "answer"),
    **tagged("ComplaintDocument", NONE, "id", "content_type", "size", "sha256", "uploaded_at"),
    **tagged("ComplaintDocument", PERSONAL, "complaint", "kind", "original_name", "uploaded_by"),
    **tagged("ComplaintDocument", HEALTH, "file"),
}
