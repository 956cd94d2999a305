"""Inmate and non-association endpoints: the twins of the inmate pages. Reads come from the
selectors, writes go through the services; the route policy checks the role for each method."""

from typing import Any, cast

import django_filters
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from program.audit.services import access_log_record
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_timestamp,
    with_etag,
)
from program.inmates import selectors, services
from program.inmates.api.serializers import (
    InmateDetailSerializer,
    InmateSerializer,
    InmateWriteSerializer,
    NonAssociationCreateSerializer,
    NonAssociationSerializer,
)
from program.inmates.models import Inmate, NonAssociation


def _actor(request: Request) -> AbstractBaseUser:
    # RoutePolicyPermission admits only authenticated users.
    return cast(AbstractBaseUser, request.user)


INMATE = "inmate"


class InmateFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Name or case number contains")
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
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Inmate]
):
    """Inmates. PUT and PATCH must carry If-Match with the ETag of the last read: without it
    428, stale 412 (the ETag is the time the record last changed)."""

    filterset_class = InmateFilter
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

    def _respond(self, pk: Any, http_status: int = status.HTTP_200_OK) -> Response:
        inmate = selectors.inmate_detail_queryset().get(pk=pk)
        response = Response(InmateDetailSerializer(inmate).data, status=http_status)
        return with_etag(response, inmate.updated_at)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access_log_record(
            request=request,
            action="search",
            subject_type="inmate",
            criterion=request.query_params.dict(),
        )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inmate = self.get_object()
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=inmate.pk
        )
        return with_etag(Response(InmateDetailSerializer(inmate).data), inmate.updated_at)

    @extend_schema(
        request=InmateWriteSerializer,
        responses={201: InmateDetailSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        serializer = InmateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inmate = services.inmate_create(actor=_actor(request), **serializer.validated_data)
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
        read_version = if_match(request, parse=version_timestamp, thing=INMATE)
        serializer = InmateWriteSerializer(inmate, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.inmate_update(
            inmate=inmate,
            actor=_actor(request),
            unchanged_since=read_version,
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
    inmate = django_filters.NumberFilter(method="filter_inmate", label="Either inmate's id")
    in_force = django_filters.BooleanFilter(field_name="in_force", label="In force today")

    class Meta:
        model = NonAssociation
        fields = ["scope"]

    def filter_inmate(
        self, queryset: QuerySet[NonAssociation], name: str, value: int
    ) -> QuerySet[NonAssociation]:
        return queryset.filter(Q(inmate_a_id=value) | Q(inmate_b_id=value))


class NonAssociationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[NonAssociation]
):
    """Pairs of inmates kept apart. Creating one stores the pair in canonical order."""

    serializer_class = NonAssociationSerializer
    filterset_class = NonAssociationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[NonAssociation]:
        return selectors.non_association_queryset()

    @extend_schema(
        request=NonAssociationCreateSerializer, responses={201: NonAssociationSerializer}
    )
    def create(self, request: Request) -> Response:
        serializer = NonAssociationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.non_association_create(actor=_actor(request), **serializer.validated_data)
        created = selectors.non_association_queryset().get(pk=rule.pk)
        return Response(NonAssociationSerializer(created).data, status=status.HTTP_201_CREATED)
