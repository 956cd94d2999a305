"""Shapes of the inmate endpoints. Input serializers only check types and fields; the services
decide and write (they are never saved through a serializer)."""

from typing import Any, NoReturn

from rest_framework import serializers

from program.inmates.minimisation import HEALTH_AND_FAMILY_FIELDS
from program.inmates.models import (
    INMATE_EDITABLE_FIELDS,
    JUDGMENT_INPUTS,
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
    OffenceCategory,
)


class JudgmentSerializer(serializers.ModelSerializer[Judgment]):
    offence_categories = serializers.SlugRelatedField[OffenceCategory](
        many=True, slug_field="code", read_only=True
    )
    # Generated columns, which DRF takes for never null: an indefinite sentence has no end.
    full_term_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null for an indefinite sentence."
    )
    two_thirds_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null for an indefinite sentence."
    )

    class Meta:
        model = Judgment
        fields = [
            "id",
            "court",
            "judgment_date",
            "final_on",
            "sentence_type",
            "length_days",
            "remand_days",
            "sentence_start",
            "runs",
            "two_thirds_date",
            "full_term_date",
            "offence_categories",
        ]
        read_only_fields = fields


class ExpulsionOrderSerializer(serializers.ModelSerializer[ExpulsionOrder]):
    in_force = serializers.BooleanField(
        read_only=True,
        help_text="In force today: not revoked, or revoked with effect from a later date.",
    )

    class Meta:
        model = ExpulsionOrder
        fields = [
            "id",
            "ordered_on",
            "final",
            "entry_ban_years",
            "entry_ban_permanent",
            "revoked_on",
            "in_force",
        ]
        read_only_fields = fields


class JudgmentRecordSerializer(JudgmentSerializer):
    """A judgment on its own endpoint: with the inmate it belongs to."""

    inmate = serializers.PrimaryKeyRelatedField[Inmate](read_only=True)

    class Meta(JudgmentSerializer.Meta):
        fields = ["inmate", *JudgmentSerializer.Meta.fields, "updated_at", "version"]
        read_only_fields = fields


class JudgmentWriteSerializer(serializers.ModelSerializer[Judgment]):
    """The fields a client may set; offences are group codes. Never saved: see the services."""

    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())
    offence_categories = serializers.SlugRelatedField[OffenceCategory](
        many=True, slug_field="code", queryset=OffenceCategory.objects.all(), required=False
    )

    class Meta:
        model = Judgment
        fields = ["inmate", *JUDGMENT_INPUTS]

    def create(self, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.judgment_create")

    def update(self, instance: Judgment, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.judgment_update")


class ExpulsionOrderRecordSerializer(ExpulsionOrderSerializer):
    inmate = serializers.PrimaryKeyRelatedField[Inmate](read_only=True)

    class Meta(ExpulsionOrderSerializer.Meta):
        fields = ["inmate", *ExpulsionOrderSerializer.Meta.fields, "updated_at", "version"]
        read_only_fields = fields


class ExpulsionOrderWriteSerializer(serializers.ModelSerializer[ExpulsionOrder]):
    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())

    class Meta:
        model = ExpulsionOrder
        fields = [
            "inmate",
            "ordered_on",
            "final",
            "entry_ban_years",
            "entry_ban_permanent",
            "revoked_on",
        ]

    def create(self, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.expulsion_order_create")

    def update(self, instance: ExpulsionOrder, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.expulsion_order_update")


class InmateSerializer(serializers.ModelSerializer[Inmate]):
    nationalities = serializers.SlugRelatedField[Country](
        many=True, slug_field="code", read_only=True
    )
    country_of_return = serializers.SlugRelatedField[Country](
        slug_field="code", read_only=True, allow_null=True
    )
    release_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The combined full-term date of all the person's judgments (null when one is "
        "indefinite).",
    )
    two_thirds_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The combined two-thirds (parole consideration) date.",
    )
    readmission = serializers.CharField(
        source="readmission_effective",
        read_only=True,
        help_text="Whether the country of return takes this person back: the person's override "
        "if set, else the country's answer (yes, no, unknown).",
    )
    # Empty means "follow the country's answer", so the empty value is one of its choices.
    return_readmits = serializers.ChoiceField(
        choices=[("", "follow the country's answer"), *Inmate.Readmission.choices],
        allow_blank=True,
        read_only=True,
        help_text="The person's own readmission answer, overriding the country's; empty when the "
        "country's answer applies.",
    )
    is_placed = serializers.BooleanField(read_only=True, help_text="In a place today.")
    medical_observation = serializers.BooleanField(
        source="needs_medical_observation",
        read_only=True,
        help_text="Needs a medical-observation cell: the alert placing the person needs.",
    )
    # Health and family details: sent only to the roles that read the whole file (caseworker,
    # auditor), so they are optional in the schema (never read-only, which would make them
    # required there).
    serious_mental_disorder = serializers.BooleanField(
        required=False, help_text="Health data; not sent to the occupancy administrator."
    )
    specialist_treatment = serializers.BooleanField(
        required=False, help_text="Health data; not sent to the occupancy administrator."
    )
    minor_children_visiting = serializers.BooleanField(
        required=False, help_text="Family data; not sent to the occupancy administrator."
    )

    class Meta:
        model = Inmate
        fields = [
            "id",
            *INMATE_EDITABLE_FIELDS,
            "medical_observation",
            "readmission",
            "release_date",
            "two_thirds_on",
            "is_placed",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if self.context.get("minimised"):  # set by the view from the reader's role
            for name in HEALTH_AND_FAMILY_FIELDS:
                fields.pop(name, None)
        return fields


class InmateDetailSerializer(InmateSerializer):
    judgments = JudgmentSerializer(many=True, read_only=True)
    expulsion_orders = ExpulsionOrderSerializer(many=True, read_only=True)

    class Meta(InmateSerializer.Meta):
        fields = [*InmateSerializer.Meta.fields, "judgments", "expulsion_orders"]
        read_only_fields = fields


class InmateWriteSerializer(serializers.ModelSerializer[Inmate]):
    """The fields a client may set; countries are ISO codes. Never saved: see the services."""

    class Meta:
        model = Inmate
        fields = list(INMATE_EDITABLE_FIELDS)

    def create(self, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.inmate_create")

    def update(self, instance: Inmate, validated_data: Any) -> NoReturn:
        raise NotImplementedError("Use services.inmate_update")


class NonAssociationSerializer(serializers.ModelSerializer[NonAssociation]):
    starts_on = serializers.DateField(source="active.lower", read_only=True)
    ends_on = serializers.DateField(
        source="active.upper",
        read_only=True,
        allow_null=True,
        help_text="The first day the two may share again; null while open-ended.",
    )
    in_force = serializers.BooleanField(read_only=True, help_text="In force today.")

    class Meta:
        model = NonAssociation
        fields = [
            "id",
            "inmate_a",
            "inmate_b",
            "scope",
            "reason",
            "starts_on",
            "ends_on",
            "in_force",
            "created_at",
        ]
        read_only_fields = fields


class NonAssociationCreateSerializer(serializers.Serializer[NonAssociation]):
    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())
    other = serializers.PrimaryKeyRelatedField[Inmate](
        queryset=Inmate.objects.all(), help_text="The inmate to keep apart from."
    )
    scope = serializers.ChoiceField(choices=NonAssociation.Scope.choices)
    reason = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(
        required=False, allow_null=True, help_text="The first day the two may share again."
    )
