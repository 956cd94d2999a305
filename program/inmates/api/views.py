"""Inmate and non-association endpoints: the twins of the inmate pages. Reads come from the
selectors, writes go through the services; the route policy checks the role for each method."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from program.audit.listing import AccessLoggedDetailMixin, AccessLoggedListMixin
from program.audit.services import access_log_record
from program.core.acting import acting_user
from program.core.api.filters import IntegerFilter
from program.core.api.inputs import checked
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from program.core.errors import ApplicationError
from program.inmates import selectors, services
from program.inmates.api.serializers import (
    ExpulsionOrderRecordSerializer,
    ExpulsionOrderWriteSerializer,
    InmateDetailSerializer,
    InmateSerializer,
    InmateWriteSerializer,
    JudgmentRecordSerializer,
    JudgmentWriteSerializer,
    NonAssociationCreateSerializer,
    NonAssociationSerializer,
)
from program.inmates.minimisation import sees_health_and_family
from program.inmates.models import ExpulsionOrder, Inmate, Judgment, NonAssociation

INMATE = "inmate"


class InmateFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Name or case number contains this, in any case")
    case_number = django_filters.CharFilter(label="This case number exactly, in any case")
    nationality = django_filters.CharFilter(label="ISO code of one of the nationalities")
    institution = django_filters.CharFilter(label="Home institution (exact, any case)")
    release_from = django_filters.DateFilter(label="Release date (full term) on or after")
    release_to = django_filters.DateFilter(label="Release date (full term) on or before")
    placed = django_filters.BooleanFilter(label="In a place today")

    class Meta:
        model = Inmate
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Inmate]) -> QuerySet[Inmate]:
        # One home for the filter rules: the same selector as the inmate list page.
        data = self.form.cleaned_data
        if data.get("case_number"):
            queryset = queryset.filter(case_number__iexact=data["case_number"].strip())
        return selectors.inmate_filter(
            queryset,
            search=data.get("search") or "",
            nationality=data.get("nationality") or "",
            institution=data.get("institution") or "",
            release_from=data.get("release_from"),
            release_to=data.get("release_to"),
            placed=data.get("placed"),
        )


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class InmateViewSet(
    AccessLoggedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inmate]
):
    """Inmates. PUT and PATCH must carry If-Match with the ETag of the last read: without it
    428, stale 412 (the ETag is the record's version)."""

    filterset_class = InmateFilter
    listed_people = ("pk",)
    ordering_fields = ["name", "case_number", "release_date"]
    ordering = ["name", "case_number", "id"]

    def get_queryset(self) -> QuerySet[Inmate]:
        if self.action == "list":
            return selectors.inmate_queryset()
        return selectors.inmate_detail_queryset()

    def get_serializer_class(self) -> type[BaseSerializer[Inmate]]:
        if self.action == "list":
            return InmateSerializer
        if self.action in {"create", "update", "partial_update"}:
            return InmateWriteSerializer
        return InmateDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        # The occupancy administrator gets what placing a person needs, not health or family.
        return {
            **super().get_serializer_context(),
            "minimised": not sees_health_and_family(self.request.user),
        }

    def _respond(self, pk: Any, http_status: int = status.HTTP_200_OK) -> Response:
        inmate = selectors.inmate_detail_queryset().get(pk=pk)
        data = InmateDetailSerializer(inmate, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=http_status), inmate.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inmate = self.get_object()
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=inmate.pk
        )
        data = InmateDetailSerializer(inmate, context=self.get_serializer_context()).data
        return with_etag(Response(data), inmate.version)

    @extend_schema(
        request=InmateWriteSerializer,
        responses={201: InmateDetailSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        given = checked(request, InmateWriteSerializer)
        inmate = services.inmate_create(actor=acting_user(request), **given)
        return self._respond(inmate.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=InmateWriteSerializer,
        responses={200: InmateDetailSerializer, **precondition_responses(INMATE)},
        parameters=[if_match_parameter(INMATE), etag_header(200)],
    )
    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        inmate = self.get_object()
        read_version = if_match(request, parse=version_number, thing=INMATE)
        serializer = InmateWriteSerializer(inmate, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.inmate_update(
            inmate=inmate,
            actor=acting_user(request),
            expected_version=read_version,
            **serializer.validated_data,
        )
        return self._respond(inmate.pk)

    @extend_schema(
        request=InmateWriteSerializer,
        responses={200: InmateDetailSerializer, **precondition_responses(INMATE)},
        parameters=[if_match_parameter(INMATE), etag_header(200)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


class NonAssociationFilter(django_filters.FilterSet):
    inmate = IntegerFilter(method="filter_inmate", label="Either inmate's id")
    in_force = django_filters.BooleanFilter(field_name="in_force", label="In force today")

    class Meta:
        model = NonAssociation
        fields = ["scope"]

    def filter_inmate(
        self, queryset: QuerySet[NonAssociation], name: str, value: int
    ) -> QuerySet[NonAssociation]:
        return queryset.filter(Q(inmate_a_id=value) | Q(inmate_b_id=value))


class NonAssociationViewSet(
    AccessLoggedListMixin, AccessLoggedDetailMixin, viewsets.GenericViewSet[NonAssociation]
):
    """Pairs of inmates kept apart. Creating one stores the pair in canonical order."""

    serializer_class = NonAssociationSerializer
    filterset_class = NonAssociationFilter
    listed_people = ("inmate_a_id", "inmate_b_id")
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[NonAssociation]:
        return selectors.non_association_queryset()

    @extend_schema(
        request=NonAssociationCreateSerializer, responses={201: NonAssociationSerializer}
    )
    def create(self, request: Request) -> Response:
        given = checked(request, NonAssociationCreateSerializer)
        rule = services.non_association_create(actor=acting_user(request), **given)
        created = selectors.non_association_queryset().get(pk=rule.pk)
        return Response(NonAssociationSerializer(created).data, status=status.HTTP_201_CREATED)


JUDGMENT = "judgment"
EXPULSION_ORDER = "expulsion order"


class JudgmentFilter(django_filters.FilterSet):
    inmate = IntegerFilter(field_name="inmate_id", label="The inmate's id")

    class Meta:
        model = Judgment
        fields = ["sentence_type", "runs"]


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class JudgmentViewSet(
    AccessLoggedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Judgment]
):
    """A person's judgments: the twin of the judgments on the inmate page. Writing one changes
    the person's combined release and two-thirds dates (see the inmate). PUT and PATCH must
    carry If-Match with the ETag of the last read: without it 428, stale 412."""

    serializer_class = JudgmentRecordSerializer
    filterset_class = JudgmentFilter
    listed_people = ("inmate_id",)
    ordering_fields = ["judgment_date", "sentence_start"]

    def get_queryset(self) -> QuerySet[Judgment]:
        return selectors.judgment_queryset()

    def _respond(self, pk: Any, http_status: int = status.HTTP_200_OK) -> Response:
        judgment = selectors.judgment_queryset().get(pk=pk)
        data = JudgmentRecordSerializer(judgment).data
        return with_etag(Response(data, status=http_status), judgment.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        judgment = self.get_object()
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=judgment.inmate_id
        )
        return with_etag(Response(JudgmentRecordSerializer(judgment).data), judgment.version)

    @extend_schema(
        request=JudgmentWriteSerializer,
        responses={201: JudgmentRecordSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        given = checked(request, JudgmentWriteSerializer)
        judgment = services.judgment_create(actor=acting_user(request), **given)
        return self._respond(judgment.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=JudgmentWriteSerializer,
        responses={200: JudgmentRecordSerializer, **precondition_responses(JUDGMENT)},
        parameters=[if_match_parameter(JUDGMENT), etag_header(200)],
    )
    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        judgment = self.get_object()
        read_version = if_match(request, parse=version_number, thing=JUDGMENT)
        serializer = JudgmentWriteSerializer(judgment, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        _same_inmate(values.pop("inmate", None), judgment.inmate_id)
        services.judgment_update(
            judgment=judgment, actor=acting_user(request), expected_version=read_version, **values
        )
        return self._respond(judgment.pk)

    @extend_schema(
        request=JudgmentWriteSerializer,
        responses={200: JudgmentRecordSerializer, **precondition_responses(JUDGMENT)},
        parameters=[if_match_parameter(JUDGMENT), etag_header(200)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


def _same_inmate(given: Inmate | None, inmate_id: int) -> None:
    if given is not None and given.pk != inmate_id:
        message = "A record cannot be moved to another inmate; record it on that inmate instead."
        raise ApplicationError(message, details={"inmate": [message]})


class ExpulsionOrderFilter(django_filters.FilterSet):
    inmate = IntegerFilter(field_name="inmate_id", label="The inmate's id")

    class Meta:
        model = ExpulsionOrder
        fields = ["final"]


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class ExpulsionOrderViewSet(
    AccessLoggedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ExpulsionOrder]
):
    """A person's expulsion orders. `in_force` is as of today: a revocation counts from its
    effective date (revoked_on), which may lie ahead. PUT and PATCH must carry If-Match."""

    serializer_class = ExpulsionOrderRecordSerializer
    filterset_class = ExpulsionOrderFilter
    listed_people = ("inmate_id",)
    ordering_fields = ["ordered_on"]

    def get_queryset(self) -> QuerySet[ExpulsionOrder]:
        return selectors.expulsion_order_queryset()

    def _respond(self, pk: Any, http_status: int = status.HTTP_200_OK) -> Response:
        order = selectors.expulsion_order_queryset().get(pk=pk)
        data = ExpulsionOrderRecordSerializer(order).data
        return with_etag(Response(data, status=http_status), order.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=order.inmate_id
        )
        return with_etag(Response(ExpulsionOrderRecordSerializer(order).data), order.version)

    @extend_schema(
        request=ExpulsionOrderWriteSerializer,
        responses={201: ExpulsionOrderRecordSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        given = checked(request, ExpulsionOrderWriteSerializer)
        order = services.expulsion_order_create(actor=acting_user(request), **given)
        return self._respond(order.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ExpulsionOrderWriteSerializer,
        responses={200: ExpulsionOrderRecordSerializer, **precondition_responses(EXPULSION_ORDER)},
        parameters=[if_match_parameter(EXPULSION_ORDER), etag_header(200)],
    )
    def update(
        self, request: Request, *args: Any, partial: bool = False, **kwargs: Any
    ) -> Response:
        order = self.get_object()
        read_version = if_match(request, parse=version_number, thing=EXPULSION_ORDER)
        serializer = ExpulsionOrderWriteSerializer(order, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        _same_inmate(values.pop("inmate", None), order.inmate_id)
        services.expulsion_order_update(
            expulsion_order=order,
            actor=acting_user(request),
            expected_version=read_version,
            **values,
        )
        return self._respond(order.pk)

    @extend_schema(
        request=ExpulsionOrderWriteSerializer,
        responses={200: ExpulsionOrderRecordSerializer, **precondition_responses(EXPULSION_ORDER)},
        parameters=[if_match_parameter(EXPULSION_ORDER), etag_header(200)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
