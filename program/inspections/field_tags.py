"""Data classification of the inspections app's fields (registry: program/core/field_tags.py).

An inspection and its promised actions are about the facility: none, except who recorded them.
A finding's title is written without names (finance staff see it where it holds back a payment);
its text may describe what happened to someone, and a finding about a person names them: personal.
An action's evidence and the reason it was not accepted may name people too.
"""

from program.core.field_tags import NONE, PERSONAL, TIMESTAMPED, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("InspectionBody", NONE, *TIMESTAMPED, "name", "short_name"),
    **tagged(
        "Inspection",
        NONE,
        *TIMESTAMPED,
        "body",
        "facility",
        "kind",
        "starts_on",
        "ends_on",
        "reference",
        "report",
        "report_content_type",
        "published_on",
        "version",
    ),
    **tagged("Inspection", PERSONAL, "recorded_by"),
    **tagged(
        "Finding",
        NONE,
        *TIMESTAMPED,
        "inspection",
        "title",
        "severity",
        "concerns",
        "unit",
        "cell",
        "practice",
        "version",
    ),
    **tagged("Finding", PERSONAL, "text", "person", "recorded_by"),
    **tagged(
        "FindingAction",
        NONE,
        *TIMESTAMPED,
        "finding",
        "title",
        "owner",
        "deadline",
        "status",
        "done_on",
        "version",
    ),
    **tagged("FindingAction", PERSONAL, "evidence", "reason", "decided_by"),
}
