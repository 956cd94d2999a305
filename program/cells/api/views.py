import django_filters
from rest_framework import viewsets

from program.cells import selectors
from program.cells.api.serializers import AgreementSerializer, CellSerializer, FacilitySerializer
from program.cells.models import Cell


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    queryset = selectors.agreement_detail_queryset().order_by("signed_on", "id")
    ordering_fields = ["signed_on", "name"]


class FacilityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FacilitySerializer
    queryset = selectors.facility_list()
    filterset_fields = ["agreement"]
    ordering_fields = ["name"]


class CellFilter(django_filters.FilterSet):
    facility = django_filters.NumberFilter(field_name="unit__facility_id")
    unit = django_filters.CharFilter(field_name="unit__code")

    class Meta:
        model = Cell
        fields = ["facility", "unit", "kind", "medical_observation", "accessible"]


class CellViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CellSerializer
    queryset = selectors.cell_list().order_by("unit__facility_id", "unit__code", "number")
    filterset_class = CellFilter
    ordering_fields = ["number", "floor_area_m2", "cpt_capacity"]
