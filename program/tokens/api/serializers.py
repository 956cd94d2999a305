from rest_framework import serializers

from program.tokens.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    """A token as its owner sees it: never the token itself, which is shown once at creation."""

    last_used_at = serializers.DateTimeField(
        source="use.last_used_at", read_only=True, allow_null=True, default=None
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields
