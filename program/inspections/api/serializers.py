"""The inspections API's representations. Reads only: writes go through the input serializers to
the services, which decide."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from program.inspections.models import Finding, FindingAction, Inspection


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    body_name = serializers.CharField(source="body.name", read_only=True)
    facility_name = serializers.CharField(source="facility.name", read_only=True)
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "body",
            "body_name",
            "facility",
            "facility_name",
            "kind",
            "starts_on",
            "ends_on",
            "reference",
            "published_on",
            "report_url",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report_url(self, inspection: Inspection) -> str | None:
        if not inspection.report:
            return None
        return reverse("inspections:report", args=[inspection.pk])


class InspectionInput(serializers.Serializer[Any]):
    body = serializers.IntegerField(min_value=1)
    facility = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)


class InspectionPatchInput(InspectionInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ReportInput(serializers.Serializer[Any]):
    report = serializers.FileField()
    published_on = serializers.DateField(required=False, allow_null=True)


class FindingActionSerializer(serializers.ModelSerializer[FindingAction]):
    class Meta:
        model = FindingAction
        fields = [
            "id",
            "finding",
            "title",
            "owner",
            "deadline",
            "status",
            "done_on",
            "evidence",
            "reason",
            "version",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer[Finding]):
    status = serializers.ChoiceField(choices=Finding.Status.choices, read_only=True)
    actions = FindingActionSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "title",
            "text",
            "severity",
            "concerns",
            "unit",
            "cell",
            "person",
            "practice",
            "status",
            "actions",
            "version",
        ]
        read_only_fields = fields


class FindingInput(serializers.Serializer[Any]):
    inspection = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=4000)
    severity = serializers.ChoiceField(choices=Finding.Severity.choices)
    concerns = serializers.ChoiceField(choices=Finding.Concerns.choices)
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    cell = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    person = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    practice = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FindingPatchInput(FindingInput):
    inspection = None  # type: ignore[assignment]  # a finding stays with its inspection


class ActionInput(serializers.Serializer[Any]):
    finding = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200)
    owner = serializers.CharField(max_length=200)
    deadline = serializers.DateField()


class ActionPatchInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=FindingAction.Status.choices)
    owner = serializers.CharField(max_length=200, required=False)
    deadline = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
