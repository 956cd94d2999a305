"""The transfer API: the case pages' twin. Reads use the selectors; every write is a service call,
so refusals (400, 403, 409) reach the client in the project's one error shape. A case carries its
version as an ETag; a move (transition, screening) needs it back in If-Match: 428 without, 412
when the case moved since."""

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
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
from transfers import eligibility, selectors, services
from transfers.api.case_records import log_case_view
from transfers.api.serializers import (
    CaseEventSerializer,
    CaseOpenInput,
    DocumentInput,
    DocumentSerializer,
    ScreeningSerializer,
    TransferCaseSerializer,
    TransitionInput,
    TransportBatchSerializer,
)
from transfers.models import TransferCase, TransportBatch

_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, named in the error."),
    403: OpenApiResponse(description="Your role does not own this action."),
    409: OpenApiResponse(description="Illegal move, lost race, or a missing prerequisite."),
}


CASE = "transfer case"
# A move is a write on the case row: it needs the ETag read last (If-Match).
_MOVE_REFUSALS = {**_REFUSALS, **precondition_responses(CASE)}


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _read_version(request: Request) -> int:
    return if_match(request, parse=version_number, thing=CASE)


def _case_response(pk: int, http_status: int = status.HTTP_200_OK) -> Response:
    case = selectors.case_queryset().get(pk=pk)
    return with_etag(Response(TransferCaseSerializer(case).data, status=http_status), case.version)


@extend_schema_view(
    list=extend_schema(summary="Transfer cases (open ones unless ?state= is given)"),
    retrieve=extend_schema(summary="One transfer case", parameters=[etag_header(200)]),
)
class TransferCaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TransferCase],
):
    """Caseworkers and the occupancy administrator act; the auditor reads."""

    serializer_class = TransferCaseSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[TransferCase]:
        params = self.request.query_params
        filters = selectors.CaseFilters(
            mine=params.get("mine") == "true",
            states=tuple(params.getlist("state")),
            nationality=params.get("nationality", ""),
            search=params.get("q", ""),
            include_closed=self.action != "list",
        )
        return selectors.case_list(user=_actor(self.request), filters=filters)

    @extend_schema(
        summary="Open a case for an inmate",
        request=CaseOpenInput,
        responses={201: TransferCaseSerializer, **_REFUSALS},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = CaseOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_open(inmate=data.validated_data["inmate"], actor=_actor(request))
        return _case_response(case.pk, status.HTTP_201_CREATED)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A search of people's files: the criterion is logged (a plain listing is not).
        access_log_record(
            request=request,
            action=AccessLogEntry.Action.SEARCH,
            subject_type="transfer_case",
            criterion=request.query_params.dict(),
        )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        log_case_view(request, case, "case")
        return with_etag(Response(self.get_serializer(case).data), case.version)

    @extend_schema(
        summary="Move the case to another state",
        description="`reason` is a reason code where the move ends or reverses a case. Some "
        "moves need more: notified (notified_on, language), under_appeal (lodged_on), "
        "scheduled (batch, optional place), admitted/returned/deported (optional on).",
        request=TransitionInput,
        responses={200: TransferCaseSerializer, **_MOVE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    @action(detail=True, methods=["post"], url_path="transitions", url_name="transitions")
    def transitions(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = _read_version(request)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.case_transition(
            case=case,
            to=values.pop("to"),
            reason_code=values.pop("reason"),
            text=values.pop("text"),
            actor=_actor(request),
            data=values,
            expected_version=read_version,
        )
        return _case_response(case.pk)

    @extend_schema(
        summary="Screen the case's inmate against the eligibility rules now",
        description="The case moves to the outcome, so this is a write on the case: send "
        "If-Match with its ETag.",
        request=None,
        responses={201: ScreeningSerializer, **_MOVE_REFUSALS},
        parameters=[if_match_parameter(CASE)],
    )
    @action(detail=True, methods=["post"], url_path="screen", url_name="screen")
    def screen(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        screening = services.case_screen(
            case=case, actor=_actor(request), expected_version=_read_version(request)
        )
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The case's documents, every version",
        responses=DocumentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Upload a document (PDF, PNG or JPEG, at most 10 MB; a new version keeps the old)",
        request={"multipart/form-data": DocumentInput},
        responses={201: DocumentSerializer, **_REFUSALS},
    )
    # Every version of every document, unpaged: a case has a handful.
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="documents",
        url_name="documents",
        pagination_class=None,
    )
    def documents(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        if request.method == "POST":
            data = DocumentInput(data=request.data)
            data.is_valid(raise_exception=True)
            document = services.document_upload(
                case=case,
                kind=data.validated_data["kind"],
                file=data.validated_data["file"],
                actor=_actor(request),
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        log_case_view(request, case, "documents")
        documents = case.documents.select_related("uploaded_by").order_by("kind", "-version")
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        summary="The case's timeline, oldest first", responses=CaseEventSerializer(many=True)
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="events",
        url_name="events",
        pagination_class=None,  # the whole timeline, unpaged
    )
    def events(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        log_case_view(request, case, "events")
        return Response(CaseEventSerializer(selectors.case_events(case), many=True).data)


class EligibilityRulesView(APIView):
    @extend_schema(
        summary="The eligibility rules (texts, sources, versions) and the parameters in force",
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="{rule_set_version, rules: [...], parameters: {name: value}}",
            )
        },
    )
    def get(self, request: Request) -> Response:
        params = eligibility.params_load()
        return Response(
            {
                "rule_set_version": params.rule_set_version,
                "rules": [
                    {
                        "id": rule.id,
                        "text": rule.text,
                        "source": rule.source,
                        "version": rule.version,
                        "kind": rule.kind,
                        "parameters": list(rule.parameters),
                    }
                    for rule in eligibility.RULES
                ],
                "parameters": {name: getattr(params, name) for name in eligibility.PARAMETERS},
            }
        )


@extend_schema_view(
    list=extend_schema(summary="Transport batches and their manifests"),
    retrieve=extend_schema(summary="One transport batch"),
)
class TransportBatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TransportBatch],
):
    serializer_class = TransportBatchSerializer
    queryset = TransportBatch.objects.prefetch_related("manifest").order_by("departs_on", "id")
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Plan a transport", responses={201: TransportBatchSerializer, **_REFUSALS}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TransportBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.batch_create(actor=_actor(request), **data.validated_data)
        return Response(TransportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)
