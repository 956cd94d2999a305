"""Data classification of the outbox's fields (registry and meaning: program/core/field_tags.py).

An outbox row names a task and holds ids and codes as its arguments, never personal data: none.
"""

from program.core.field_tags import NONE, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged(
        "OutboxMessage",
        NONE,
        "id",
        "task",
        "args",
        "key",
        "created_at",
        "sent_at",
        "done_at",
        "attempts",
        "last_error",
    ),
}
