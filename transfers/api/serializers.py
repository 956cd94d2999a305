"""Output shapes of the transfer API and the inputs of its action endpoints (no logic here)."""

from typing import Any

from rest_framework import serializers

from program.cells.models import Agreement
from program.inmates.models import Inmate
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    InmateOpinion,
    ManifestEntry,
    ReleasePreparation,
    Screening,
    TransferCase,
    TransportBatch,
)
from transfers.moves import PLAIN_TARGETS


class TransferCaseSerializer(serializers.ModelSerializer[TransferCase]):
    inmate_case_number = serializers.CharField(source="inmate.case_number", read_only=True)
    nationalities = serializers.SerializerMethodField()
    caseworker = serializers.CharField(source="caseworker.get_username", read_only=True)
    next_deadline = serializers.DateField(read_only=True, allow_null=True)
    # Blank until an appeal is decided. Declared here because DRF drops allow_blank from
    # read-only model fields, and the schema would then refuse the "" the API sends.
    appeal_outcome = serializers.ChoiceField(
        choices=TransferCase.AppealOutcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = TransferCase
        fields = [
            "id",
            "agreement",
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
    # An unknown id is a 400 naming the field, not a 404 for the whole request.
    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())
    agreement = serializers.PrimaryKeyRelatedField[Agreement](
        queryset=Agreement.objects.all(),
        required=False,
        help_text="The programme (agreement id); by default the user's programme, or the only one.",
    )


class TransitionInput(serializers.Serializer[Any]):
    """A move without input. The moves that need input have their own endpoints."""

    # The version the client read travels in If-Match, not in the body.
    to = serializers.ChoiceField(
        choices=[(state, TransferCase.State(state).label) for state in PLAIN_TARGETS]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")


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
        fields = ["id", "agreement", "departs_on", "direction", "seats", "escort", "manifest"]
        read_only_fields = ["id", "manifest"]
        extra_kwargs = {
            "agreement": {
                "required": False,
                "help_text": "The programme (agreement id); by default the user's programme.",
            }
        }


# --- Opinion, decision, notification and appeal ------------------------------------------------


class InmateOpinionSerializer(serializers.ModelSerializer[InmateOpinion]):
    recorded_by = serializers.CharField(source="recorded_by.get_username", read_only=True)

    class Meta:
        model = InmateOpinion
        fields = [
            "id",
            "stance",
            "heard_on",
            "language",
            "interpreter_used",
            "statement",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    recorded_by = serializers.CharField(source="recorded_by.get_username", read_only=True)
    supersedes_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="Why this decision supersedes the one in force (needed when there is one).",
    )
    superseded_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "authority",
            "legal_basis",
            "decided_on",
            "recorded_by",
            "recorded_at",
            "superseded_at",
            "superseded_reason",
            "supersedes_reason",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at", "superseded_at"]


class AppealOutcomeInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=TransferCase.AppealOutcome.choices)
    decided_on = serializers.DateField(help_text="The day the appeal was decided.")
    text = serializers.CharField(required=False, allow_blank=True, default="")


class ManifestPersonSerializer(serializers.Serializer[Any]):
    """One person on a transport, as handed to the host prison."""

    transfer_case = serializers.IntegerField()
    case_number = serializers.CharField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField()
    sex = serializers.CharField()
    nationalities = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    reserved_place = serializers.CharField(allow_blank=True)


class ReleasePreparationSerializer(serializers.Serializer[Any]):
    """The case's release preparation. PUT replaces it whole: a field left out is empty."""

    RP = ReleasePreparation
    travel_document_status = serializers.ChoiceField(
        choices=RP.TravelDocumentStatus.choices, default=RP.TravelDocumentStatus.NOT_STARTED
    )
    travel_document_kind = serializers.ChoiceField(
        choices=RP.TravelDocumentKind.choices, allow_blank=True, default=""
    )
    travel_document_issued_on = serializers.DateField(allow_null=True, default=None)
    destination_accepted_on = serializers.DateField(allow_null=True, default=None)
    destination_reference = serializers.CharField(max_length=100, allow_blank=True, default="")
    flight_on = serializers.DateField(allow_null=True, default=None)
    flight_number = serializers.CharField(max_length=20, allow_blank=True, default="")
    escort_note = serializers.CharField(max_length=300, allow_blank=True, default="")
    # Read only: the record's version (its ETag; 0 before the first save) and what a
    # deportation still waits for.
    version = serializers.IntegerField(read_only=True)
    updated_by = serializers.CharField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expected_release_on = serializers.DateField(read_only=True, allow_null=True)
    preparation_opens_on = serializers.DateField(read_only=True, allow_null=True)
    missing_for_deportation = serializers.ListField(child=serializers.CharField(), read_only=True)
