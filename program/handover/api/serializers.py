"""The handover's API shapes. The health details are in the answer for health staff only (the
schema marks them optional); every other field is what the page shows the same reader."""

from typing import Any

from rest_framework import serializers

from program.handover.models import ALERTS, CASEWORKER_FIELDS, HEALTH_FIELDS, Handover, Level
from transfers.models import TransferCase


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


class HandoverSerializer(serializers.ModelSerializer[Handover]):
    status = serializers.CharField(read_only=True)
    person_name = serializers.CharField(source="case.inmate.name", read_only=True)
    case_number = serializers.CharField(source="case.inmate.case_number", read_only=True)
    departs_on = serializers.DateField(source="batch.departs_on", read_only=True)
    alerts_raised = serializers.SerializerMethodField()
    completed_by = serializers.SerializerMethodField()
    escort_recorded_by = serializers.SerializerMethodField()
    arrival_acknowledged_by = serializers.SerializerMethodField()
    # Sent to health staff only, so optional in the schema (never read-only, which would make it
    # required there).
    health_details = serializers.CharField(
        required=False, help_text="Health data: sent to health staff only."
    )

    class Meta:
        model = Handover
        fields = [
            "id",
            "case",
            "batch",
            "facility",
            "person_name",
            "case_number",
            "departs_on",
            "edition",
            "version",
            "status",
            "alerts_raised",
            *CASEWORKER_FIELDS,
            *HEALTH_FIELDS,
            "completed_at",
            "completed_by",
            "escort_officer",
            "escort_acknowledged_at",
            "escort_recorded_by",
            "arrival_acknowledged_at",
            "arrival_acknowledged_by",
            "superseded_at",
            "superseded_by",
            "correction_reason",
        ]
        read_only_fields = fields

    def get_alerts_raised(self, handover: Handover) -> list[str]:
        return [kind.field for kind in handover.alerts_raised()]

    def get_completed_by(self, handover: Handover) -> str | None:
        return _username(handover.completed_by)

    def get_escort_recorded_by(self, handover: Handover) -> str | None:
        return _username(handover.escort_recorded_by)

    def get_arrival_acknowledged_by(self, handover: Handover) -> str | None:
        return _username(handover.arrival_acknowledged_by)

    def to_representation(self, instance: Handover) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("sees_health"):
            for name in HEALTH_FIELDS:
                data.pop(name, None)
        return data


class HandoverStartInput(serializers.Serializer[Any]):
    # A case id that names no case is a mistake in the request (400 at the field), not a page
    # that is not there.
    case = serializers.PrimaryKeyRelatedField(queryset=TransferCase.objects.all())


def _update_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {}
    for kind in ALERTS:
        fields[kind.field] = (
            serializers.ChoiceField(choices=Level.choices, required=False)
            if kind.graded
            else serializers.BooleanField(required=False)
        )
        fields[kind.todo_field] = serializers.CharField(
            required=False, allow_blank=True, max_length=2000
        )
    fields["interpreter_language"] = serializers.CharField(
        required=False, allow_blank=True, max_length=100
    )
    fields["health_details"] = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Health staff only; a caseworker sending it is refused.",
    )
    return fields


HandoverUpdateInput = type("HandoverUpdateInput", (serializers.Serializer,), _update_fields())


class EscortInput(serializers.Serializer[Any]):
    escort_officer = serializers.CharField(max_length=200)


class CorrectionInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000)
