"""Data classification of the API tokens' fields (registry: program/core/field_tags.py).

A token belongs to a member of staff and says when they used the API: personal. The hash and
prefix reveal nothing about anyone.
"""

from program.core.field_tags import NONE, PERSONAL, Tag, tagged

FIELD_TAGS: dict[str, Tag] = {
    **tagged("ApiToken", NONE, "id", "key_hash", "key_prefix", "created_at", "expires_at"),
    **tagged("ApiToken", PERSONAL, "user", "name", "revoked_at", "revoked_by"),
    "ApiTokenUse.token": NONE,
    "ApiTokenUse.last_used_at": PERSONAL,
}
