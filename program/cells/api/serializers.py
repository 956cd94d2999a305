from rest_framework import serializers

from program.cells.models import AGREEMENT_TERMS, Agreement, Cell, Facility, RampUpCap


class RampUpCapSerializer(serializers.ModelSerializer[RampUpCap]):
    class Meta:
        model = RampUpCap
        fields = ["effective_from", "places"]


class RampUpStepSerializer(serializers.ModelSerializer[RampUpCap]):
    """A ramp-up step on its own: the agreement is given when it is recorded, never changed."""

    class Meta:
        model = RampUpCap
        fields = ["id", "agreement", "effective_from", "places"]
        read_only_fields = ["id"]
        # The one-step-per-day rule is the service's, with its message.
        validators: list[object] = []


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    ramp_up_caps = RampUpCapSerializer(many=True, read_only=True)
    facilities = serializers.PrimaryKeyRelatedField[Facility](many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            *AGREEMENT_TERMS,
            "ramp_up_caps",
            "facilities",
        ]
        read_only_fields = ["id", "ramp_up_caps", "facilities"]


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    unit_count = serializers.IntegerField(read_only=True)
    cell_count = serializers.IntegerField(read_only=True)
    place_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "agreement",
            "name",
            "location",
            "country",
            "opens_on",
            "unit_count",
            "cell_count",
            "place_count",
        ]
        read_only_fields = ["id", "unit_count", "cell_count", "place_count"]
        # The unique name per agreement is checked by the service, with its message.
        validators: list[object] = []


class CellSerializer(serializers.ModelSerializer[Cell]):
    unit = serializers.CharField(source="unit.code", read_only=True)
    facility = serializers.IntegerField(source="unit.facility_id", read_only=True)
    place_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cell
        fields = [
            "id",
            "facility",
            "unit",
            "number",
            "kind",
            "floor_area_m2",
            "sanitary_partitioned",
            "shortest_wall_m",
            "ceiling_height_m",
            "medical_observation",
            "accessible",
            "cpt_capacity",
            "place_count",
        ]
        read_only_fields = fields
