from rest_framework import serializers

from program.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "subject_type",
            "subject_id",
            "link",
            "created_at",
            "read_at",
            "email_state",
        ]
        read_only_fields = fields
