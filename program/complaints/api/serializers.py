"""Complaint serializers: the Danish staff's view of a complaint, the inputs the services take,
and the host facility's receipt, which has no field of what a complaint says."""

from rest_framework import serializers

from program.complaints.models import Authority, Complaint, ComplaintDocument, Kind
from program.inmates.models import Inmate


class ComplaintDocumentSerializer(serializers.ModelSerializer[ComplaintDocument]):
    class Meta:
        model = ComplaintDocument
        fields = ["id", "kind", "content_type", "size", "uploaded_at"]


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    inmate_case_number = serializers.CharField(source="inmate.case_number", read_only=True)
    authority_code = serializers.CharField(
        source="authority.code", read_only=True, allow_null=True, default=None
    )
    documents = ComplaintDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "inmate",
            "inmate_case_number",
            "facility",
            "received_on",
            "channel",
            "sealed",
            "language",
            "kind",
            "subject",
            "authority",
            "authority_code",
            "handler",
            "deadline",
            "status",
            "answer",
            "answered_on",
            "answered_by",
            "registered_by",
            "version",
            "documents",
        ]
        read_only_fields = fields


class ComplaintCreateInput(serializers.Serializer[None]):
    inmate = serializers.PrimaryKeyRelatedField(queryset=Inmate.objects.all())
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    sealed = serializers.BooleanField(default=False)
    language = serializers.CharField(max_length=50, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = serializers.CharField(max_length=2000, allow_blank=True, default="")
    authority = serializers.PrimaryKeyRelatedField(
        queryset=Authority.objects.all(), allow_null=True, default=None
    )


class ComplaintUpdateInput(serializers.Serializer[None]):
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices, required=False)
    sealed = serializers.BooleanField(required=False)
    language = serializers.CharField(max_length=50, allow_blank=True, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    subject = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    authority = serializers.PrimaryKeyRelatedField(queryset=Authority.objects.all(), required=False)


class ComplaintAnswerInput(serializers.Serializer[None]):
    answered_on = serializers.DateField()
    answer = serializers.CharField(max_length=4000, allow_blank=True, default="")


class ComplaintDocumentInput(serializers.Serializer[None]):
    kind = serializers.ChoiceField(choices=ComplaintDocument.Kind.choices)
    file = serializers.FileField()


class ReceiptSerializer(serializers.ModelSerializer[Complaint]):
    """What the host facility's staff receive: who handed in a complaint, when, how."""

    inmate_name = serializers.CharField(source="inmate.name", read_only=True)
    inmate_case_number = serializers.CharField(source="inmate.case_number", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "inmate",
            "inmate_name",
            "inmate_case_number",
            "received_on",
            "channel",
            "sealed",
        ]
        read_only_fields = fields


class ReceiptInput(serializers.Serializer[None]):
    inmate = serializers.PrimaryKeyRelatedField(queryset=Inmate.objects.all())
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    sealed = serializers.BooleanField(default=False)
