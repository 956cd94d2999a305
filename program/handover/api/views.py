"""The handover API: the pages' twin. Reads are scoped by the reader's role (host staff: the
records handed over to their facility) and logged in the access log; the health details are in
the answer for health staff only. A record carries its version as an ETag; a change or a step
needs it back in If-Match: 428 without, 412 when the record changed since."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.audit.listing import AccessLoggedListMixin
from program.core.acting import acting_user
from program.core.api.filters import StrictFilterBackend
from program.core.api.inputs import checked
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from program.handover import selectors, services
from program.handover.api.filters import HandoverFilter
from program.handover.api.serializers import (
    CorrectionInput,
    EscortInput,
    HandoverSerializer,
    HandoverStartInput,
    HandoverUpdateInput,
)
from program.handover.minimisation import sees_health_details
from program.handover.models import Handover
from program.handover.views import log_handover_read

THING = "handover"
_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, named in the error."),
    403: OpenApiResponse(description="Your role does not own this step."),
    409: OpenApiResponse(description="The record is not ready for this step, or acknowledged."),
}
_WRITE_REFUSALS = {**_REFUSALS, **precondition_responses(THING)}


@extend_schema_view(
    list=extend_schema(
        summary="Handover records in force (with ?editions=true their corrected editions too)",
        description="Read: caseworker, health staff, occupancy administrator, auditor; host "
        "staff the records handed over to their facility. health_details: health staff only.",
    ),
    retrieve=extend_schema(summary="One handover record", parameters=[etag_header(200)]),
)
class HandoverViewSet(
    AccessLoggedListMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Handover],
):
    serializer_class = HandoverSerializer
    lookup_value_regex = r"\d+"
    filterset_class = HandoverFilter
    filter_backends = [StrictFilterBackend]
    listed_people = ("case.inmate_id",)
    http_method_names = ["get", "head", "options", "post", "patch"]

    def get_queryset(self) -> QuerySet[Handover]:
        return selectors.visible_to(self.request.user).order_by(
            "-batch__departs_on", "batch_id", "case_id", "-edition"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "sees_health": sees_health_details(self.request.user),
        }

    def _answer(self, handover: Handover, http_status: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.handover_queryset().get(pk=handover.pk)
        data = HandoverSerializer(fresh, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=http_status), fresh.version)

    def _one(self, pk: int) -> Handover:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        handover = self.get_object()
        log_handover_read(request, handover)
        return with_etag(Response(self.get_serializer(handover).data), handover.version)

    @extend_schema(
        summary="Start the handover of a case's seat on its transport out (or get the one started)",
        description="Caseworker or health staff.",
        request=HandoverStartInput,
        responses={201: HandoverSerializer, **_REFUSALS},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, HandoverStartInput)
        handover = services.handover_start(case=given["case"], actor=acting_user(request))
        return self._answer(handover, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the record before the escort acknowledges it",
        description="Caseworker: the alerts, what to do, the interpreter's language. Health "
        "staff: health_details (saving it is their part of the record). A change to a complete "
        "record takes its completion back.",
        request=HandoverUpdateInput,
        responses={200: HandoverSerializer, **_WRITE_REFUSALS},
        parameters=[if_match_parameter(THING), etag_header(200)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        handover = self.get_object()
        read_version = if_match(request, parse=version_number, thing=THING)
        given = checked(request, HandoverUpdateInput)
        services.handover_update(
            handover=handover,
            actor=acting_user(request),
            values=given,
            expected_version=read_version,
        )
        return self._answer(handover)

    @extend_schema(
        summary="Mark the record complete",
        description="Caseworker; health staff must have saved their part first.",
        request=None,
        responses={200: HandoverSerializer, **_WRITE_REFUSALS},
        parameters=[if_match_parameter(THING), etag_header(200)],
    )
    @action(detail=True, methods=["post"], url_path="complete", url_name="complete")
    def complete(self, request: Request, pk: int) -> Response:
        handover = self._one(pk)
        read_version = if_match(request, parse=version_number, thing=THING)
        services.handover_complete(
            handover=handover, actor=acting_user(request), expected_version=read_version
        )
        return self._answer(handover)

    @extend_schema(
        summary="Record the escort's acknowledgment (before departure)",
        description="Caseworker, naming the escort officer. The record is read-only after it.",
        request=EscortInput,
        responses={200: HandoverSerializer, **_WRITE_REFUSALS},
        parameters=[if_match_parameter(THING), etag_header(200)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="acknowledge-escort",
        url_name="acknowledge-escort",
    )
    def acknowledge_escort(self, request: Request, pk: int) -> Response:
        handover = self._one(pk)
        read_version = if_match(request, parse=version_number, thing=THING)
        given = checked(request, EscortInput)
        services.handover_acknowledge_escort(
            handover=handover,
            actor=acting_user(request),
            escort_officer=given["escort_officer"],
            expected_version=read_version,
        )
        return self._answer(handover)

    @extend_schema(
        summary="Acknowledge the record on the person's arrival",
        description="Host-facility staff of the receiving facility, after the departure.",
        request=None,
        responses={200: HandoverSerializer, **_WRITE_REFUSALS},
        parameters=[if_match_parameter(THING), etag_header(200)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="acknowledge-arrival",
        url_name="acknowledge-arrival",
    )
    def acknowledge_arrival(self, request: Request, pk: int) -> Response:
        handover = self._one(pk)
        read_version = if_match(request, parse=version_number, thing=THING)
        services.handover_acknowledge_arrival(
            handover=handover, actor=acting_user(request), expected_version=read_version
        )
        return self._answer(handover)

    @extend_schema(
        summary="Correct an acknowledged record: a new edition, the old one kept",
        description="Caseworker or health staff, with the reason.",
        request=CorrectionInput,
        responses={201: HandoverSerializer, **_REFUSALS},
        parameters=[etag_header(201)],
    )
    @action(detail=True, methods=["post"], url_path="correct", url_name="correct")
    def correct(self, request: Request, pk: int) -> Response:
        handover = self._one(pk)
        given = checked(request, CorrectionInput)
        new = services.handover_correct(
            handover=handover, actor=acting_user(request), reason=given["reason"]
        )
        return self._answer(new, status.HTTP_201_CREATED)
