"""Output shapes of the transfer API and the inputs of its action endpoints (no logic here)."""

from typing import Any

from rest_framework import serializers

from transfers.models import (
    CaseEvent,
    Document,
    ManifestEntry,
    Screening,
    TransferCase,
    TransportBatch,
)


class TransferCaseSerializer(serializers.ModelSerializer[TransferCase]):
    inmate_case_number = serializers.CharField(source="inmate.case_number", read_only=True)
    nationalities = serializers.SerializerMethodField()
    caseworker = serializers.CharField(source="caseworker.get_username", read_only=True)
    next_deadline = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = TransferCase
        fields = [
            "id",
            "inmate",
            "inmate_case_number",
            "nationalities",
            "caseworker",
            "state",
            "version",
            "notified_on",
            "notification_language",
            "appeal_deadline",
            "appeal_lodged_on",
            "appeal_outcome",
            "review_due_on",
            "next_deadline",
            "created_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_nationalities(self, obj: TransferCase) -> list[str]:
        return [country.code for country in obj.inmate.nationalities.all()]


class CaseOpenInput(serializers.Serializer[Any]):
    inmate = serializers.IntegerField()


class TransitionInput(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=TransferCase.State.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, help_text="The version you saw; a stale one is refused with 409."
    )
    notified_on = serializers.DateField(required=False)
    language = serializers.CharField(required=False)
    lodged_on = serializers.DateField(required=False)
    batch = serializers.IntegerField(required=False)
    place = serializers.IntegerField(required=False)
    on = serializers.DateField(required=False)


class ScreeningSerializer(serializers.ModelSerializer[Screening]):
    class Meta:
        model = Screening
        fields = [
            "id",
            "screened_on",
            "rule_set_version",
            "outcome",
            "eligible_from",
            "inputs",
            "results",
            "at",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[Document]):
    uploaded_by = serializers.CharField(source="uploaded_by.get_username", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "version",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    file = serializers.FileField()


class CaseEventSerializer(serializers.ModelSerializer[CaseEvent]):
    actor = serializers.CharField(source="actor.get_username", read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "from_state",
            "to_state",
            "actor",
            "reason_code",
            "text",
            "payload",
            "at",
        ]
        read_only_fields = fields


class ManifestEntrySerializer(serializers.ModelSerializer[ManifestEntry]):
    class Meta:
        model = ManifestEntry
        fields = ["case", "placement", "added_at", "removed_at"]
        read_only_fields = fields


class TransportBatchSerializer(serializers.ModelSerializer[TransportBatch]):
    manifest = ManifestEntrySerializer(many=True, read_only=True)

    class Meta:
        model = TransportBatch
        fields = ["id", "departs_on", "direction", "seats", "escort", "manifest"]
        read_only_fields = ["id", "manifest"]
