"""Data classification of the letters' fields (registry and meaning: program/core/field_tags.py).

Templates are texts for everyone, with the staff member who changed them. A generated letter
carries the decision it conveys and the data it was made from (names, sentence and decision
dates, reasons): criminal, like the case file it belongs to.
"""

from program.core.field_tags import CRIMINAL, NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "LetterTemplate",
        NONE,
        "id",
        "agreement",
        "kind",
        "language",
        "title",
        "body",
        "labels",
        "active",
        "version",
        "change_reason",
        "changed_at",
    ),
    "LetterTemplate.changed_by": PERSONAL,
    **tagged(
        "Letter", NONE, "id", "case", "kind", "document", "batch", "templates", "generated_at"
    ),
    **tagged("Letter", PERSONAL, "languages", "fell_back", "generated_by"),
    **tagged("Letter", CRIMINAL, "data", "fingerprint"),
    **tagged(
        "LetterJob",
        NONE,
        "id",
        "batch",
        "state",
        "total",
        "done",
        "made",
        "error",
        "started_at",
        "finished_at",
    ),
    "LetterJob.started_by": PERSONAL,
}
