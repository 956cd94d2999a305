"""Shapes of the inmate endpoints. Input serializers only check types and fields; the services
decide and write (they are never saved through a serializer)."""

from typing import Any, NoReturn

from rest_framework import serializers

from program.inmates.models import (
    INMATE_EDITABLE_FIELDS,
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
            "two_thirds_date",
            "full_term_date",
            "offence_categories",
        ]
        read_only_fields = fields


class ExpulsionOrderSerializer(serializers.ModelSerializer[ExpulsionOrder]):
    class Meta:
        model = ExpulsionOrder
        fields = [
            "id",
            "ordered_on",
            "final",
            "entry_ban_years",
            "entry_ban_permanent",
            "revoked_on",
        ]
        read_only_fields = fields


class InmateSerializer(serializers.ModelSerializer[Inmate]):
    nationalities = serializers.SlugRelatedField[Country](
        many=True, slug_field="code", read_only=True
    )
    country_of_return = serializers.SlugRelatedField[Country](
        slug_field="code", read_only=True, allow_null=True
    )
    release_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The current judgment's full-term date."
    )
    is_placed = serializers.BooleanField(read_only=True, help_text="In a place today.")

    class Meta:
        model = Inmate
        fields = [
            "id",
            *INMATE_EDITABLE_FIELDS,
            "release_date",
            "is_placed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


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
