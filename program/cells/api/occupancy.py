"""The occupancy dashboard's API twins: the daily series with utilisation, and the roll of a day."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.cells import occupancy
from program.cells.models import Agreement, Facility
from program.cells.roll_export import logged_nominal_roll
from program.core.api.query import QuerySerializer

Day = date  # inside RollQuerySerializer, `date` is the name of a field


class _FromToMixin:
    """`from` and `to` are Python keywords, so they are declared as start and end and renamed."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = super().get_fields()  # type: ignore[misc]
        names = {"start": "from", "end": "to"}
        return {names.get(name, name): field for name, field in fields.items()}


# --- Query parameters ----------------------------------------------------------------------------


class OccupancyQuerySerializer(_FromToMixin, QuerySerializer):
    start = serializers.DateField(
        source="start",
        required=False,
        help_text=gettext_lazy("First day (YYYY-MM-DD); by default 364 days before `to`."),
    )
    end = serializers.DateField(
        source="end", required=False, help_text=gettext_lazy("Last day; by default today.")
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(),
        required=False,
        help_text=gettext_lazy("Agreement id; by default the first agreement signed."),
        error_messages={"does_not_exist": gettext_lazy("There is no agreement {pk_value}.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = occupancy.period_or_default(
            attrs.get("start"), attrs.get("end"), today=timezone.localdate()
        )
        problem = occupancy.window_problem(start, end)
        if problem is not None:
            # A reversed window is the start's fault; a too long one the end's, if one was given.
            field = "to" if attrs.get("end") and start <= end else "from"
            raise serializers.ValidationError({field: [problem]})
        agreement = attrs.get("agreement") or Agreement.objects.order_by("signed_on", "pk").first()
        if agreement is None:
            raise serializers.ValidationError(
                {"agreement": [_("No agreement has been recorded yet.")]}
            )
        return {"start": start, "end": end, "agreement": agreement}


class RollQuerySerializer(QuerySerializer):
    date = serializers.DateField(
        required=False,
        help_text=gettext_lazy("The day (YYYY-MM-DD), today or earlier; today by default."),
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(),
        required=False,
        help_text=gettext_lazy("Facility id; by default the first by name."),
        error_messages={"does_not_exist": gettext_lazy("There is no facility {pk_value}.")},
    )

    def validate_date(self, value: Day) -> Day:
        if value > timezone.localdate():
            raise serializers.ValidationError(
                _("The roll is for today or a past date; the forecast shows what lies ahead.")
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        facility = attrs.get("facility") or Facility.objects.order_by("name", "pk").first()
        if facility is None:
            raise serializers.ValidationError(
                {"facility": [_("No facility has been recorded yet.")]}
            )
        return {"date": attrs.get("date") or timezone.localdate(), "facility": facility}


# --- Responses -----------------------------------------------------------------------------------


class _AgreementRefSerializer(serializers.Serializer[Agreement]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    contracted_places = serializers.IntegerField()


class _SeriesDaySerializer(serializers.Serializer[occupancy.SeriesDay]):
    date = serializers.DateField(source="day")
    occupied = serializers.IntegerField(help_text=gettext_lazy("Placements holding the day."))
    reserved = serializers.IntegerField(
        help_text=gettext_lazy("Reservations, not cancelled, holding the day.")
    )
    cap = serializers.IntegerField(help_text=gettext_lazy("The ramp-up cap in force that day."))
    contracted = serializers.IntegerField()


class _UtilisationSerializer(_FromToMixin, serializers.Serializer[occupancy.Utilisation]):
    start = serializers.DateField(source="start")
    end = serializers.DateField(source="end")
    days = serializers.IntegerField()
    occupied_place_days = serializers.IntegerField()
    contracted_place_days = serializers.IntegerField()
    paid_but_empty_place_days = serializers.IntegerField()
    percent = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("Occupied place-days as a percentage of contracted place-days."),
    )


class OccupancySerializer(_FromToMixin, serializers.Serializer[dict[str, Any]]):
    agreement = _AgreementRefSerializer()
    start = serializers.DateField(source="start")
    end = serializers.DateField(source="end")
    days = _SeriesDaySerializer(many=True)
    utilisation = _UtilisationSerializer()


class _CountsSerializer(serializers.Serializer[occupancy.RollCounts]):
    places = serializers.IntegerField()
    occupied = serializers.IntegerField()
    reserved = serializers.IntegerField()
    out_of_use = serializers.IntegerField()
    free = serializers.IntegerField()
    arriving = serializers.IntegerField(
        help_text=gettext_lazy("Free places whose reservation arrives within 14 days.")
    )
    net_vacancy = serializers.IntegerField(help_text=gettext_lazy("Free less arriving."))


class _UnitRollSerializer(_CountsSerializer):
    id = serializers.IntegerField(source="unit.pk")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")


class _RollLineSerializer(serializers.Serializer[occupancy.RollLine]):
    unit = serializers.CharField(source="place.cell.unit.code")
    cell = serializers.CharField(source="place.cell.number")
    place = serializers.IntegerField(source="place.number")
    place_id = serializers.IntegerField(source="place.pk")
    status = serializers.ChoiceField(choices=occupancy.PlaceStatus.choices)
    case_number = serializers.CharField(source="placement.inmate.case_number", allow_null=True)
    name = serializers.CharField(source="placement.inmate.name", allow_null=True)
    since = serializers.DateField(allow_null=True)
    expected_release = serializers.DateField(allow_null=True)


class _FacilityRefSerializer(serializers.Serializer[Facility]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agreement = serializers.IntegerField(source="agreement_id")


class RollSerializer(serializers.Serializer[dict[str, Any]]):
    facility = _FacilityRefSerializer()
    date = serializers.DateField()
    total = _CountsSerializer()
    units = _UnitRollSerializer(many=True)
    places = _RollLineSerializer(many=True)


# --- Views ---------------------------------------------------------------------------------------


class OccupancyView(APIView):
    """Occupied and reserved places each day, with the cap in force and the contracted places,
    and the period's utilisation: the occupancy dashboard's twin. No names, only numbers."""

    @extend_schema(
        parameters=[OccupancyQuerySerializer],
        responses={200: OccupancySerializer},
        description=(
            "Daily series for a period of at most 20 years (both days included), computed in "
            "one query, and occupied against contracted place-days."
        ),
    )
    def get(self, request: Request) -> Response:
        query = OccupancyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agreement: Agreement = query.validated_data["agreement"]
        start: date = query.validated_data["start"]
        end: date = query.validated_data["end"]
        days = occupancy.occupancy_series(agreement=agreement, start=start, end=end)
        body = {
            "agreement": agreement,
            "start": start,
            "end": end,
            "days": [],
            "utilisation": occupancy.utilisation(agreement=agreement, start=start, end=end),
        }
        data = OccupancySerializer(body).data
        # The days as _SeriesDaySerializer writes them, built directly: a serializer per day
        # cost ~150 ms on a ten-year series, twice the query (measured with make bench).
        data["days"] = [
            {
                "date": day.day.isoformat(),
                "occupied": day.occupied,
                "reserved": day.reserved,
                "cap": day.cap,
                "contracted": day.contracted,
            }
            for day in days
        ]
        return Response(data)


class RollView(APIView):
    """The roll of a facility on a day: counts per unit and in total, and who holds each place."""

    @extend_schema(
        parameters=[RollQuerySerializer],
        responses={200: RollSerializer},
        description=(
            "Places are occupied, reserved, out of use or free, in that order of precedence; "
            "net vacancy is free less reservations arriving within 14 days."
        ),
    )
    def get(self, request: Request) -> Response:
        query = RollQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        facility: Facility = query.validated_data["facility"]
        day: date = query.validated_data["date"]
        roll = occupancy.roll_on(facility=facility, on=day)
        places = logged_nominal_roll(request, facility=facility, on=day)
        body = {
            "facility": facility,
            "date": day,
            "total": roll.total,
            "units": roll.units,
            "places": places,
        }
        return Response(RollSerializer(body).data)
