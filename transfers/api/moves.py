"""One API endpoint per move that needs input, generated from the move table (transfers/moves.py):
the request body is derived from the move's typed input, so the schema, the page's form and the
service read the same fields. Each changes the case row: If-Match with the case's ETag is needed
(428 without, 412 when the case changed since). The roles are the move's own (403 otherwise);
the route policy admits the same roles.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.core.acting import acting_user
from program.core.api.inputs import checked
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from transfers import move_inputs, selectors, services
from transfers.api.serializers import TransferCaseSerializer
from transfers.models import TransferCase, TransportBatch
from transfers.moves import ENDPOINTS

CASE = "transfer case"
_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, each field named in the error."),
    403: OpenApiResponse(description="Your role does not own this move."),
    409: OpenApiResponse(
        description="The case is not in a state for this move, or something it needs is "
        "missing (all of it named in details.missing)."
    ),
    **precondition_responses(CASE),
}

SUMMARIES = {
    "notification": "Record the inmate's notification of the decision (the case becomes notified)",
    "appeal": "Record that the inmate lodged an appeal within the window (under appeal)",
    "schedule": "Book the case on a transport with a place reserved (scheduled)",
    "rebook": "Move a scheduled case's seat and reservation to another transport",
    "departure": "Record that the inmate left on the transport (in transit)",
    "admission": "Admit the arriving inmate to the reserved place (admitted, then serving)",
    "return": "End the stay: returned to Denmark (from return pending)",
    "deportation": "End the stay: deported (from release preparation)",
    "release": "End the stay: released, not removable (from release preparation)",
}
DESCRIPTIONS = {
    "notification": "The appeal deadline follows: the day notified plus the parameter "
    "appeal_days. Needs the decision letter and the notification receipt, and a current "
    "eligible screening.",
    "schedule": "Refused while the appeal window is open, for everybody alike, and while an "
    "appeal that suspends (parameter appeal_suspends) waits for its outcome. Needs a current "
    "eligible screening (parameter screening_max_age_days; re-screened when older). Without "
    "batch, a case back from an appeal keeps the seat it held.",
    "rebook": "The old seat and reservation are freed and the new ones taken in one "
    "transaction; a refusal (full, no free place, left already) changes nothing.",
    "departure": "On or after the transport's departure day; needs a current eligible "
    "screening and the transport manifest document.",
    "admission": "Dated the day of arrival (today by default); the case goes on to serving in "
    "the same transaction.",
    "deportation": "Needs the release preparation complete; not dated before the flight nor "
    "the release date.",
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _move_view(endpoint: str, to: str, input_type: type) -> type[APIView]:
    body = move_inputs.serializer_for(input_type, f"{_camel(endpoint)}MoveInput")

    class MoveView(APIView):
        @extend_schema(
            operation_id=f"transfer_case_{endpoint}",
            summary=SUMMARIES.get(endpoint, endpoint),
            description=DESCRIPTIONS.get(endpoint, ""),
            request=body,
            responses={200: TransferCaseSerializer, **_REFUSALS},
            parameters=[if_match_parameter(CASE), etag_header(200)],
        )
        def post(self, request: Request, pk: int) -> Response:
            case = get_object_or_404(TransferCase, pk=pk)
            read_version = if_match(request, parse=version_number, thing=CASE)
            data = body(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            text = values.pop("text", "")
            actor = acting_user(request)
            if to == TransferCase.State.ADMITTED:
                services.case_admit(
                    case=case, actor=actor, text=text, expected_version=read_version, **values
                )
            else:
                services.case_transition(
                    case=case,
                    to=to,
                    actor=actor,
                    text=text,
                    data=values,
                    expected_version=read_version,
                )
            fresh = selectors.case_queryset().get(pk=case.pk)
            return with_etag(Response(TransferCaseSerializer(fresh).data), fresh.version)

    MoveView.__name__ = f"Case{_camel(endpoint)}View"
    MoveView.__qualname__ = MoveView.__name__
    return MoveView


MOVE_VIEWS: dict[str, type[APIView]] = {
    endpoint: _move_view(endpoint, to, input_type)
    for endpoint, (to, input_type) in ENDPOINTS.items()
}


# --- A whole transport ------------------------------------------------------------------------


# The day the whole transport left or arrived. A comment, not a docstring: the schema would
# show a base class's docstring as the description of both inputs.
class _BatchMoveInput(serializers.Serializer[Any]):
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today when left out."
    )


class BatchDepartureInput(_BatchMoveInput):
    did_not_travel = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Case ids who did not travel: they stay booked on this transport.",
    )


class BatchArrivalInput(_BatchMoveInput):
    refused_at_gate = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="Case id → return reason code, for those refused at the gate.",
    )


class BatchResultSerializer(serializers.Serializer[Any]):
    moved = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.IntegerField())


class BatchDepartureView(APIView):
    @extend_schema(
        operation_id="transport_batch_departure",
        summary="Record the departure of everyone booked on the transport, in one transaction",
        description="Caseworkers. Any refusal of a traveller undoes the whole departure and is "
        "named with its case.",
        request=BatchDepartureInput,
        responses={200: BatchResultSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(TransportBatch, pk=pk)
        given = checked(request, BatchDepartureInput)
        result = services.batch_depart(batch=batch, actor=acting_user(request), **given)
        return Response(BatchResultSerializer(result).data, status=status.HTTP_200_OK)


class BatchArrivalView(APIView):
    @extend_schema(
        operation_id="transport_batch_arrival",
        summary="Admit everyone arriving on the transport, in one transaction",
        description="Occupancy administrator. Each arriving case is admitted to its reserved "
        "place and goes on to serving; those refused at the gate are returned.",
        request=BatchArrivalInput,
        responses={200: BatchResultSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(TransportBatch, pk=pk)
        given = checked(request, BatchArrivalInput)
        refused = {int(key): value for key, value in given["refused_at_gate"].items()}
        result = services.batch_arrive(
            batch=batch,
            actor=acting_user(request),
            on=given["on"],
            refused_at_gate=refused,
        )
        return Response(BatchResultSerializer(result).data, status=status.HTTP_200_OK)


class ReviewInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=list(services.REVIEW_OUTCOMES))
    reviewed_on = serializers.DateField()
    next_review_on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class CaseReviewView(APIView):
    @extend_schema(
        operation_id="transfer_case_review",
        summary="Record the periodic review of a serving inmate's stay",
        description="Caseworkers. Sets the next review date, which ends this review's reminder.",
        request=ReviewInput,
        responses={200: TransferCaseSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        given = checked(request, ReviewInput)
        services.review_record(case=case, actor=acting_user(request), **given)
        fresh = selectors.case_queryset().get(pk=case.pk)
        return with_etag(Response(TransferCaseSerializer(fresh).data), fresh.version)
