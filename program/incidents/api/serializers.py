"""Shapes of the incident endpoints. Input serializers check types only; the services decide.

Minimisation: `injuries` (health data) is left out for the host facility's staff, who report
injuries but do not read them back (selectors.sees_injuries)."""

from typing import Any

from rest_framework import serializers

from program.cells.models import Cell, Facility, Unit
from program.incidents.models import Incident, IncidentReview
from program.inmates.models import Inmate


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="inmate.pk")
    name = serializers.CharField(source="inmate.name")
    case_number = serializers.CharField(source="inmate.case_number")


class ReviewSerializer(serializers.ModelSerializer[IncidentReview]):
    reviewer = serializers.CharField(source="reviewer.get_username")

    class Meta:
        model = IncidentReview
        fields = [
            "reviewed_at",
            "reviewer",
            "outcome",
            "findings",
            "follow_up",
            "information_requested",
        ]
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer[Incident]):
    facility = serializers.PrimaryKeyRelatedField[Facility](read_only=True)
    unit = serializers.PrimaryKeyRelatedField[Unit](read_only=True, allow_null=True)
    cell = serializers.PrimaryKeyRelatedField[Cell](read_only=True, allow_null=True)
    people = PersonSerializer(many=True, read_only=True)
    reported_by = serializers.CharField(source="reported_by.get_username", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "kind",
            "state",
            "facility",
            "unit",
            "cell",
            "occurred_at",
            "reported_at",
            "reported_by",
            "review_due_at",
            "people",
            "version",
        ]
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    reviews = ReviewSerializer(many=True, read_only=True)
    injuries = serializers.CharField(
        read_only=True, help_text="Health data: absent for the host facility's staff."
    )
    authority_notified = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields,
            "description",
            "injuries",
            "actions_taken",
            "staff_involved",
            "reviews",
            "authority_notified",
        ]
        read_only_fields = fields

    def get_authority_notified(self, incident: Incident) -> str | None:
        notice = getattr(incident, "authority_notice", None)
        return notice.state if notice is not None else None

    def to_representation(self, instance: Incident) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("sees_injuries", False):
            data.pop("injuries", None)
        return data


class IncidentCreateSerializer(serializers.Serializer[Any]):
    facility = serializers.PrimaryKeyRelatedField(queryset=Facility.objects.all())
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    occurred_at = serializers.DateTimeField()
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    cell = serializers.PrimaryKeyRelatedField(
        queryset=Cell.objects.select_related("unit"), required=False, allow_null=True
    )
    inmates = serializers.PrimaryKeyRelatedField(
        queryset=Inmate.objects.all(), many=True, required=False
    )
    named_staff = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50
    )
    staff_involved = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    description = serializers.CharField(max_length=10000)
    injuries = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    actions_taken = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class IncidentReviewInputSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=IncidentReview.Outcome.choices)
    findings = serializers.CharField(max_length=10000)
    follow_up = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    information_requested = serializers.CharField(required=False, allow_blank=True, max_length=5000)
