"""The case's opinion, decision, notification and appeal over the API, and the transport manifest.

The pages' twins (transfers/views.py, transfers/views_records.py). Recording an opinion or a
decision adds a row to the case's file, like uploading a document, and needs no If-Match; the
notification, the appeal and its outcome change the case row itself, so they need the case's
ETag in If-Match (428 without, 412 when the case changed since). Role rules: the route policy
admits caseworkers, the occupancy administrator and the auditor to read, caseworkers to write;
the services refuse other roles with 403.
"""

from typing import Any, cast

from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from transfers import selectors, services
from transfers.api.serializers import (
    AppealInput,
    AppealOutcomeInput,
    DecisionSerializer,
    InmateOpinionSerializer,
    ManifestPersonSerializer,
    NotificationInput,
    TransferCaseSerializer,
)
from transfers.models import TransferCase, TransportBatch
from transfers.views_records import record_manifest_disclosure

CASE = "transfer case"
READERS = "Read: caseworker, occupancy administrator, auditor."
WRITERS = "Write: caseworker only."
_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, named in the error."),
    403: OpenApiResponse(description="Your role does not own this action (caseworkers only)."),
    409: OpenApiResponse(description="The case is not in a state for this, or not ready."),
}
_CASE_WRITE_REFUSALS = {**_REFUSALS, **precondition_responses(CASE)}


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _case_response(pk: int) -> Response:
    case = selectors.case_queryset().get(pk=pk)
    return with_etag(Response(TransferCaseSerializer(case).data), case.version)


def log_case_view(request: Request, case: TransferCase, what: str) -> None:
    # Part of the person's file: one consultation row, as for the case itself.
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.VIEW,
        subject_type="inmate",
        subject_id=case.inmate_id,
        criterion={"transfer_case": case.pk, "part": what},
    )


class CaseOpinionsView(APIView):
    @extend_schema(
        summary="The inmate's opinions recorded on the case, newest first",
        description=READERS,
        responses=InmateOpinionSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        log_case_view(request, case, "opinions")
        opinions = case.opinions.select_related("recorded_by").order_by("-recorded_at", "-id")
        return Response(InmateOpinionSerializer(opinions, many=True).data)

    @extend_schema(
        summary="Record the inmate's opinion (before the decision; consent is not required)",
        description=f"{WRITERS} Allowed before the decision (identified … host review).",
        request=InmateOpinionSerializer,
        responses={201: InmateOpinionSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        data = InmateOpinionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.opinion_record(case=case, actor=_actor(request), **data.validated_data)
        return Response(InmateOpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class CaseDecisionsView(APIView):
    @extend_schema(
        summary="The decisions recorded on the case, newest first",
        description=READERS,
        responses=DecisionSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        log_case_view(request, case, "decisions")
        decisions = case.decisions.select_related("recorded_by").order_by("-recorded_at", "-id")
        return Response(DecisionSerializer(decisions, many=True).data)

    @extend_schema(
        summary="Record the decision: outcome, deciding authority, legal basis, date",
        description=f"{WRITERS} Recorded during host review; the move to decided_transfer or "
        "decided_no_transfer follows with /transitions/.",
        request=DecisionSerializer,
        responses={201: DecisionSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.decision_record(case=case, actor=_actor(request), **data.validated_data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CaseNotificationView(APIView):
    @extend_schema(
        summary="Record the inmate's notification of the decision (the case becomes notified)",
        description=f"{WRITERS} The appeal deadline follows: the day notified plus the "
        "configurable number of days (parameter appeal_days). Needs the decision letter and "
        "the notification receipt uploaded.",
        request=NotificationInput,
        responses={200: TransferCaseSerializer, **_CASE_WRITE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = if_match(request, parse=version_number, thing=CASE)
        data = NotificationInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_transition(
            case=case,
            to=TransferCase.State.NOTIFIED,
            actor=_actor(request),
            text=data.validated_data["text"],
            data={
                "notified_on": data.validated_data["notified_on"],
                "language": data.validated_data["language"],
            },
            expected_version=read_version,
        )
        return _case_response(case.pk)


class CaseAppealView(APIView):
    @extend_schema(
        summary="Record that the inmate lodged an appeal (the case goes under appeal)",
        description=f"{WRITERS} Refused after the appeal deadline. Whether an appeal suspends "
        "the transfer is the parameter appeal_suspends.",
        request=AppealInput,
        responses={200: TransferCaseSerializer, **_CASE_WRITE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = if_match(request, parse=version_number, thing=CASE)
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = {}
        if data.validated_data.get("lodged_on"):
            values["lodged_on"] = data.validated_data["lodged_on"]
        services.case_transition(
            case=case,
            to=TransferCase.State.UNDER_APPEAL,
            actor=_actor(request),
            text=data.validated_data["text"],
            data=values,
            expected_version=read_version,
        )
        return _case_response(case.pk)


class CaseAppealOutcomeView(APIView):
    @extend_schema(
        summary="Record the appeal's outcome",
        description=f"{WRITERS} upheld: the transfer is off and the case ends in "
        "decided_no_transfer (final). rejected: the transfer stands and the case can be "
        "scheduled.",
        request=AppealOutcomeInput,
        responses={200: TransferCaseSerializer, **_CASE_WRITE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = if_match(request, parse=version_number, thing=CASE)
        data = AppealOutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.appeal_decide(
            case=case,
            actor=_actor(request),
            expected_version=read_version,
            **data.validated_data,
        )
        return _case_response(case.pk)


class TransportManifestView(APIView):
    @extend_schema(
        summary="The people on board a transport, as handed to the host prison",
        description="Read: caseworker, occupancy administrator. Handing the manifest over "
        "discloses everyone on it: each read writes one disclosure row per person to the "
        "access log, naming the recipient.",
        responses=ManifestPersonSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(TransportBatch, pk=pk)
        entries = list(selectors.manifest_on_board(batch))
        record_manifest_disclosure(request, batch, [str(entry.case.inmate_id) for entry in entries])
        people = [
            {
                "transfer_case": entry.case_id,
                "case_number": entry.case.inmate.case_number,
                "name": entry.case.inmate.name,
                "date_of_birth": entry.case.inmate.date_of_birth,
                "sex": entry.case.inmate.sex,
                "nationalities": [c.code for c in entry.case.inmate.nationalities.all()],
                "languages": list(entry.case.inmate.languages or []),
                "reserved_place": str(entry.placement.place) if entry.placement else "",
            }
            for entry in entries
        ]
        return Response(ManifestPersonSerializer(people, many=True).data)
