"""Family contact over the API: a visit with its visitors, and the inputs of its moves. The
serializers only parse and show; the services decide."""

from typing import Any

from rest_framework import serializers

from program.visits.models import Visit, Visitor
from program.visits.services import OUTCOMES


class VisitorSerializer(serializers.ModelSerializer[Visitor]):
    age_group = serializers.ChoiceField(
        choices=Visitor.AgeGroup.choices, required=False, allow_blank=True, default=""
    )

    class Meta:
        model = Visitor
        fields = ["name", "relation", "age_group"]


class VisitSerializer(serializers.ModelSerializer[Visit]):
    visitors = VisitorSerializer(many=True)
    inmate_name = serializers.CharField(source="inmate.name", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "inmate",
            "inmate_name",
            "facility",
            "kind",
            "status",
            "requested_by",
            "requested_on",
            "wished_on",
            "interpreter_needed",
            "interpreter_language",
            "note",
            "starts_at",
            "ends_at",
            "outcome_reason",
            "outcome_at",
            "version",
            "visitors",
        ]
        read_only_fields = [
            "id",
            "status",
            "requested_on",
            "starts_at",
            "ends_at",
            "outcome_reason",
            "outcome_at",
            "version",
        ]


class VisitBookInput(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class VisitOutcomeInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[(o, o) for o in OUTCOMES])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ContactCountsSerializer(serializers.Serializer[Any]):
    since = serializers.DateField()
    visits = serializers.IntegerField()
    visits_with_children = serializers.IntegerField()
    video_calls = serializers.IntegerField()
    video_calls_with_children = serializers.IntegerField()
