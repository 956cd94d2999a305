from typing import Any

import django_filters
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from program.cells import programme_admin, selectors
from program.cells.api.serializers import (
    AgreementSerializer,
    CellSerializer,
    FacilitySerializer,
    RampUpStepSerializer,
)
from program.cells.models import Cell, RampUpCap
from program.core.api.filters import IntegerFilter


class WrittenByService(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[Any]
):
    """Reads as before; a POST records and a PUT or PATCH amends through the service, which
    checks the role and validates (program/cells/programme_admin.py). No deletes: history stays."""

    def save(self, instance: Any, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = self.save(None, {**serializer.validated_data})
        return Response(self.get_serializer(self._fresh(row)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        row = self.save(instance, {**serializer.validated_data})
        return Response(self.get_serializer(self._fresh(row)).data)

    def _fresh(self, row: Any) -> Any:
        return self.get_queryset().get(pk=row.pk)


class AgreementViewSet(WrittenByService):
    serializer_class = AgreementSerializer
    queryset = selectors.agreement_detail_queryset().order_by("signed_on", "id")
    ordering_fields = ["signed_on", "name"]

    def save(self, instance: Any, values: dict[str, Any]) -> Any:
        return programme_admin.agreement_save(
            agreement=instance, values=values, actor=self.request.user
        )


class FacilityViewSet(WrittenByService):
    serializer_class = FacilitySerializer
    queryset = selectors.facility_list()
    filterset_fields = ["agreement"]
    ordering_fields = ["name"]

    def save(self, instance: Any, values: dict[str, Any]) -> Any:
        agreement = values.pop("agreement", None) or instance.agreement
        return programme_admin.facility_save(
            facility=instance, agreement=agreement, values=values, actor=self.request.user
        )


class RampUpCapViewSet(WrittenByService):
    serializer_class = RampUpStepSerializer
    queryset = RampUpCap.objects.order_by("agreement_id", "effective_from")
    filterset_fields = ["agreement"]
    ordering_fields = ["effective_from"]

    def save(self, instance: Any, values: dict[str, Any]) -> Any:
        agreement = values.pop("agreement", None) or instance.agreement
        return programme_admin.ramp_up_save(
            cap=instance, agreement=agreement, values=values, actor=self.request.user
        )


class CellFilter(django_filters.FilterSet):
    facility = IntegerFilter(field_name="unit__facility_id")
    unit = django_filters.CharFilter(field_name="unit__code")

    class Meta:
        model = Cell
        fields = ["facility", "unit", "kind", "medical_observation", "accessible"]


class CellViewSet(viewsets.ReadOnlyModelViewSet[Cell]):
    serializer_class = CellSerializer
    queryset = selectors.cell_list().order_by("unit__facility_id", "unit__code", "number")
    filterset_class = CellFilter
    ordering_fields = ["number", "floor_area_m2", "cpt_capacity"]
