"""Data classification of the notifications' fields (registry and meaning:
program/core/field_tags.py).

A notification names its subject by type and id only (a case number, a tranche number); its text
may still let a reader infer something about the case, and it is addressed to a member of staff.
"""

from program.core.field_tags import NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "Notification",
        NONE,
        "id",
        "kind",
        "subject_type",
        "subject_id",
        "link",
        "dedupe_key",
        "created_at",
        "read_at",
        "email_state",
        "sent_at",
    ),
    # The text names a case number; a mail server's error may quote the recipient's address.
    **tagged("Notification", PERSONAL, "recipient", "text", "email_error"),
}
