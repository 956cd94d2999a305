"""The case's opinion, decision, notification and appeal over the API, and the transport manifest.

The pages' twins (transfers/views.py, transfers/views_records.py). Recording an opinion or a
decision adds a row to the case's file, like uploading a document, and needs no If-Match; the
notification, the appeal and its outcome change the case row itself, so they need the case's
ETag in If-Match (428 without, 412 when the case changed since). Role rules: the route policy
admits caseworkers, the occupancy administrator and the auditor to read, caseworkers to write;
the services refuse other roles with 403.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record
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
from program.core.api.query import refuse_unknown_parameters
from transfers import release_preparation, selectors, services
from transfers.api.serializers import (
    AppealOutcomeInput,
    DecisionSerializer,
    InmateOpinionSerializer,
    ManifestPersonSerializer,
    ReleasePreparationSerializer,
    TransferCaseSerializer,
)
from transfers.models import (
    ReleasePreparation,
    TransferCase,
    TransportBatch,
    missing_release_steps,
)
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
        refuse_unknown_parameters(request)
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
        given = checked(request, InmateOpinionSerializer)
        opinion = services.opinion_record(case=case, actor=acting_user(request), **given)
        return Response(InmateOpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class CaseDecisionsView(APIView):
    @extend_schema(
        summary="The decisions recorded on the case, newest first",
        description=READERS,
        responses=DecisionSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        refuse_unknown_parameters(request)
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
        given = checked(request, DecisionSerializer)
        decision = services.decision_record(case=case, actor=acting_user(request), **given)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CaseAppealOutcomeView(APIView):
    @extend_schema(
        summary="Record the appeal's outcome",
        description=f"{WRITERS} In every state where the appeal is open (under appeal, "
        "scheduled, in transit, serving). upheld: the transfer is off (before departure the case "
        "ends in decided_no_transfer; at the host facility its return is pending; on the way the "
        "person is refused at the gate). rejected: the transfer stands; a seat the appeal "
        "held is booked again.",
        request=AppealOutcomeInput,
        responses={200: TransferCaseSerializer, **_CASE_WRITE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = if_match(request, parse=version_number, thing=CASE)
        given = checked(request, AppealOutcomeInput)
        services.appeal_decide(
            case=case,
            actor=acting_user(request),
            expected_version=read_version,
            **given,
        )
        return _case_response(case.pk)


PREPARATION = "release preparation"


def _preparation_response(case: TransferCase) -> Response:
    preparation: ReleasePreparation | None = release_preparation.current(case)
    window = release_preparation.window(case)
    data: dict[str, Any] = {
        name: getattr(preparation, name) if preparation else None
        for name in release_preparation.FIELDS
    }
    if preparation is None:
        data.update(
            travel_document_status=ReleasePreparation.TravelDocumentStatus.NOT_STARTED,
            travel_document_kind="",
            destination_reference="",
            flight_number="",
            escort_note="",
        )
    data.update(
        version=preparation.version if preparation else 0,
        updated_by=preparation.updated_by.get_username() if preparation else None,
        updated_at=preparation.updated_at if preparation else None,
        expected_release_on=window.expected_release_on,
        preparation_opens_on=window.opens_on,
        missing_for_deportation=missing_release_steps(preparation),
    )
    return with_etag(Response(ReleasePreparationSerializer(data).data), data["version"])


class CaseReleasePreparationView(APIView):
    @extend_schema(
        summary="The case's release preparation: travel document, acceptance, flight",
        description=f"{READERS} Before anything is recorded: the empty record, version 0. "
        "missing_for_deportation names the steps a move to deported still waits for.",
        responses={200: ReleasePreparationSerializer},
        parameters=[etag_header(200)],
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        log_case_view(request, case, "release preparation")
        return _preparation_response(case)

    @extend_schema(
        summary="Record the release preparation (replaces it whole)",
        description=f"{WRITERS} While the case is serving, from release_prep_days before the "
        "expected release date, or in release preparation. Each changed step adds a timeline "
        'event. If-Match: the ETag of GET on this resource ("0" before the first save).',
        request=ReleasePreparationSerializer,
        responses={
            200: ReleasePreparationSerializer,
            **_REFUSALS,
            **precondition_responses(PREPARATION),
        },
        parameters=[if_match_parameter(PREPARATION), etag_header(200)],
    )
    def put(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = if_match(request, parse=version_number, thing=PREPARATION)
        given = checked(request, ReleasePreparationSerializer)
        release_preparation.record(
            case=case,
            actor=acting_user(request),
            values=given,
            expected_version=read_version,
        )
        return _preparation_response(case)


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
