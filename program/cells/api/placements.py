"""Places and placements over the API: the unit page's twin.

Reads are two read-only viewsets. Writes are action endpoints: an input serializer parses the body,
the service decides; a refusal (ApplicationError 400, ConflictError 409) reaches the client in the
project's one error shape through the exception handler.
"""

from datetime import date
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.listing import AccessLoggedDetailMixin, AccessLoggedListMixin
from program.cells import services, stays, unit_view
from program.cells.models import Place, Placement
from program.core.acting import acting_user
from program.core.api.filters import IntegerFilter
from program.core.api.inputs import checked
from program.inmates.models import Inmate

# --- Output -----------------------------------------------------------------------------------


class PlaceSerializer(serializers.ModelSerializer[Place]):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    cell_number = serializers.CharField(source="cell.number", read_only=True)
    unit = serializers.IntegerField(source="cell.unit_id", read_only=True)
    unit_code = serializers.CharField(source="cell.unit.code", read_only=True)
    facility = serializers.IntegerField(source="cell.unit.facility_id", read_only=True)

    class Meta:
        model = Place
        fields = ["id", "label", "number", "cell", "cell_number", "unit", "unit_code", "facility"]
        read_only_fields = fields

    def get_label(self, obj: Place) -> str:
        return unit_view.place_label(obj)


class InmateRefSerializer(serializers.ModelSerializer[Inmate]):
    class Meta:
        model = Inmate
        fields = ["id", "case_number"]
        read_only_fields = fields


class PlaceRefSerializer(serializers.ModelSerializer[Place]):
    label = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta:
        model = Place
        fields = ["id", "label"]
        read_only_fields = fields

    def get_label(self, obj: Place) -> str:
        return unit_view.place_label(obj)


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    """A placement or reservation; `from` and `to` are the half-open period [from, to)."""

    inmate = InmateRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    # Blank while the placement is open. Declared here because DRF drops allow_blank from
    # read-only model fields, and the schema would then refuse the "" the API sends.
    end_reason = serializers.ChoiceField(
        choices=Placement.EndReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Placement
        fields = ["id", "inmate", "place", "kind", "reason", "end_reason", "expected_release_on"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword, so these two cannot be declared as class attributes.
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {}
        for name, declared in super().get_fields().items():
            fields[name] = declared
            if name == "kind":
                fields["from"] = serializers.DateField(
                    source="period.lower", read_only=True, help_text="First day (inclusive)."
                )
                fields["to"] = serializers.DateField(
                    source="period.upper",
                    read_only=True,
                    allow_null=True,
                    help_text="Day it ends (exclusive); null while open.",
                )
        return fields


# --- Reads ------------------------------------------------------------------------------------


class PlaceFilter(django_filters.FilterSet):
    facility = IntegerFilter(field_name="cell__unit__facility_id")
    unit = IntegerFilter(field_name="cell__unit_id")
    cell = IntegerFilter(field_name="cell_id")
    free_on = django_filters.DateFilter(
        method="filter_free_on",
        label="Only places nobody holds from this day on and that are in use on it.",
    )

    class Meta:
        model = Place
        fields = ["facility", "unit", "cell", "free_on"]

    def filter_free_on(self, queryset: QuerySet[Place], name: str, value: date) -> QuerySet[Place]:
        return unit_view.in_use_and_unheld(queryset, on=value)


class PlaceViewSet(viewsets.ReadOnlyModelViewSet[Place]):
    serializer_class = PlaceSerializer
    queryset = unit_view.place_queryset().order_by(
        "cell__unit__facility_id", "cell__unit__code", "cell__number", "number"
    )
    filterset_class = PlaceFilter
    lookup_value_regex = r"\d+"


class PlacementFilter(django_filters.FilterSet):
    inmate = IntegerFilter(field_name="inmate_id")
    place = IntegerFilter(field_name="place_id")
    kind = django_filters.ChoiceFilter(choices=Placement.Kind.choices)
    active_on = django_filters.DateFilter(
        method="filter_active_on",
        label="Only placements and reservations holding their place on this day.",
    )

    class Meta:
        model = Placement
        fields = ["inmate", "place", "kind", "active_on"]

    def filter_active_on(
        self, queryset: QuerySet[Placement], name: str, value: date
    ) -> QuerySet[Placement]:
        return unit_view.placements_active_on(queryset, value)


class PlacementViewSet(
    AccessLoggedListMixin, AccessLoggedDetailMixin, viewsets.ReadOnlyModelViewSet[Placement]
):
    serializer_class = PlacementSerializer
    listed_people = ("inmate_id",)
    queryset = unit_view.placement_queryset().order_by("-period", "-id")
    filterset_class = PlacementFilter
    lookup_value_regex = r"\d+"


# --- Actions ----------------------------------------------------------------------------------


class AdmitInput(serializers.Serializer[Any]):
    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())
    place = serializers.PrimaryKeyRelatedField[Place](queryset=Place.objects.all())
    on = serializers.DateField(help_text="Admitted on (first night in the place).")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    expected_release_on = serializers.DateField(required=False, allow_null=True)


class ReserveInput(serializers.Serializer[Any]):
    inmate = serializers.PrimaryKeyRelatedField[Inmate](queryset=Inmate.objects.all())
    place = serializers.PrimaryKeyRelatedField[Place](queryset=Place.objects.all())
    on = serializers.DateField(help_text="Expected arrival; the place is held from this day.")
    reason = serializers.CharField(max_length=300, allow_blank=True)


class MoveInput(serializers.Serializer[Any]):
    to_place = serializers.PrimaryKeyRelatedField[Place](queryset=Place.objects.all())
    on = serializers.DateField(help_text="First night in the new place.")
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ReleaseInput(serializers.Serializer[Any]):
    on = serializers.DateField(help_text="The day the inmate leaves (the period's end).")
    end_reason = serializers.ChoiceField(
        choices=[
            Placement.EndReason.DEPORTED,
            Placement.EndReason.RETURNED,
            Placement.EndReason.RELEASED,
        ]
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CancelInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, allow_blank=True)


ERROR = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.DictField(),
            },
        )
    },
)
_REFUSALS = {
    400: OpenApiResponse(ERROR, description="Invalid input, or a rule the input breaks."),
    403: OpenApiResponse(ERROR, description="Only occupancy administrators may do this."),
    404: OpenApiResponse(ERROR, description="No such placement."),
    409: OpenApiResponse(ERROR, description="The place or inmate is not in the state needed."),
}


def _answer(placement: Placement, http_status: int) -> Response:
    fresh = unit_view.placement_queryset().get(pk=placement.pk)
    return Response(PlacementSerializer(fresh).data, status=http_status)


def _placement(pk: int) -> Placement:
    return get_object_or_404(unit_view.placement_queryset(), pk=pk)


class PlacementAdmitView(APIView):
    @extend_schema(
        operation_id="placement_admit",
        summary="Admit an inmate to a place",
        description="Takes up the inmate's reservation of that place, if any.",
        request=AdmitInput,
        responses={201: PlacementSerializer, **_REFUSALS},
    )
    def post(self, request: Request) -> Response:
        given = checked(request, AdmitInput)
        placement = stays.stay_admit(
            inmate=given["inmate"],
            place=given["place"],
            on=given["on"],
            reason=given["reason"],
            expected_release_on=given.get("expected_release_on"),
            actor=acting_user(request),
        )
        return _answer(placement, status.HTTP_201_CREATED)


class PlacementReserveView(APIView):
    @extend_schema(
        operation_id="placement_reserve",
        summary="Reserve a place for an expected arrival",
        request=ReserveInput,
        responses={201: PlacementSerializer, **_REFUSALS},
    )
    def post(self, request: Request) -> Response:
        given = checked(request, ReserveInput)
        reservation = stays.stay_reserve(
            inmate=given["inmate"],
            place=given["place"],
            arrival_on=given["on"],
            reason=given["reason"],
            actor=acting_user(request),
        )
        return _answer(reservation, status.HTTP_201_CREATED)


class PlacementMoveView(APIView):
    @extend_schema(
        operation_id="placement_move",
        summary="Move an inmate to another place of the same facility",
        description="Ends this placement the day before `on` and answers with the new one.",
        request=MoveInput,
        responses={201: PlacementSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        placement = _placement(pk)
        given = checked(request, MoveInput)
        moved = services.placement_move(
            placement=placement,
            to_place=given["to_place"],
            on=given["on"],
            reason=given["reason"],
            actor=acting_user(request),
        )
        return _answer(moved, status.HTTP_201_CREATED)


class PlacementReleaseView(APIView):
    @extend_schema(
        operation_id="placement_release",
        summary="End a placement: deported, returned to Denmark or released",
        request=ReleaseInput,
        responses={200: PlacementSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        placement = _placement(pk)
        given = checked(request, ReleaseInput)
        released = stays.stay_release(
            placement=placement,
            on=given["on"],
            end_reason=given["end_reason"],
            reason=given["reason"],
            actor=acting_user(request),
        )
        return _answer(released, status.HTTP_200_OK)


class PlacementCancelView(APIView):
    @extend_schema(
        operation_id="placement_cancel",
        summary="Cancel a reservation",
        request=CancelInput,
        responses={200: PlacementSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        reservation = _placement(pk)
        given = checked(request, CancelInput)
        cancelled = stays.stay_cancel(
            reservation=reservation,
            reason=given["reason"],
            actor=acting_user(request),
        )
        return _answer(cancelled, status.HTTP_200_OK)
