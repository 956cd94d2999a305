"""The transfer API: the case pages' twin. Reads use the selectors; every write is a service call,
so refusals (400, 403, 409) reach the client in the project's one error shape. A case carries its
version as an ETag; a move (transition, screening) needs it back in If-Match: 428 without, 412
when the case moved since."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.listing import AccessLoggedListMixin, people_on
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
from program.core.api.query import refuse_unknown_parameters
from program.core.errors import ConflictError
from program.inmates.minimisation import MEDICAL_DOCUMENT_KINDS, sees_health_and_family
from transfers import eligibility, selectors, services
from transfers.api.case_records import log_case_view
from transfers.api.filters import TransferCaseFilter
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
from transfers.moves import MOVES

_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, named in the error."),
    403: OpenApiResponse(description="Your role does not own this action."),
    409: OpenApiResponse(description="Illegal move, lost race, or a missing prerequisite."),
}


CASE = "transfer case"
# A move is a write on the case row: it needs the ETag read last (If-Match).
_MOVE_REFUSALS = {**_REFUSALS, **precondition_responses(CASE)}


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
    AccessLoggedListMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TransferCase],
):
    """Caseworkers and the occupancy administrator act; the auditor reads."""

    serializer_class = TransferCaseSerializer
    lookup_value_regex = r"\d+"
    filterset_class = TransferCaseFilter
    filter_backends = [StrictFilterBackend]  # one order, the worklist's: no ?ordering=
    listed_people = ("inmate_id",)

    def get_queryset(self) -> QuerySet[TransferCase]:
        if getattr(self, "swagger_fake_view", False):  # the schema is made without a user
            return TransferCase.objects.none()
        # One case is looked up among all, closed ones too; the list narrows it (api/filters.py).
        filters = selectors.CaseFilters(include_closed=True)
        return selectors.case_list(user=acting_user(self.request), filters=filters)

    @extend_schema(
        summary="Open a case for an inmate",
        request=CaseOpenInput,
        responses={201: TransferCaseSerializer, **_REFUSALS},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, CaseOpenInput)
        case = services.case_open(
            inmate=given["inmate"],
            actor=acting_user(request),
            agreement=given.get("agreement"),
        )
        return _case_response(case.pk, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        log_case_view(request, case, "case")
        return with_etag(Response(self.get_serializer(case).data), case.version)

    @extend_schema(
        summary="Move the case to another state",
        description="Only the moves without input; `reason` is a reason code where the move "
        "ends or reverses a case. A move that needs input has its own endpoint under "
        "/transfer-cases/{id}/ (notification, appeal, schedule, rebook, departure, admission, "
        "return, deportation, release); asking for it here is refused naming that endpoint.",
        request=TransitionInput,
        responses={200: TransferCaseSerializer, **_MOVE_REFUSALS},
        parameters=[if_match_parameter(CASE), etag_header(200)],
    )
    @action(detail=True, methods=["post"], url_path="transitions", url_name="transitions")
    def transitions(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        read_version = _read_version(request)
        given = checked(request, TransitionInput)
        values = given
        move = MOVES.get((case.state, values["to"]))
        if move is not None and move.has_input:
            raise ConflictError(
                _("This move needs input: use POST /transfer-cases/%(pk)s/%(endpoint)s/.")
                % {"pk": case.pk, "endpoint": move.endpoint},
                details={"endpoint": move.endpoint},
            )
        services.case_transition(
            case=case,
            to=values["to"],
            reason_code=values["reason"],
            text=values["text"],
            actor=acting_user(request),
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
            case=case, actor=acting_user(request), expected_version=_read_version(request)
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
        if request.method == "GET":
            refuse_unknown_parameters(request)
        case = get_object_or_404(TransferCase, pk=pk)
        if request.method == "POST":
            given = checked(request, DocumentInput)
            document = services.document_upload(
                case=case,
                kind=given["kind"],
                file=given["file"],
                actor=acting_user(request),
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        log_case_view(request, case, "documents")
        documents = case.documents.select_related("uploaded_by").order_by("kind", "-version")
        if not sees_health_and_family(request.user):  # medical documents: the full file only
            documents = documents.exclude(kind__in=MEDICAL_DOCUMENT_KINDS)
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
        refuse_unknown_parameters(request)
        case = get_object_or_404(TransferCase, pk=pk)
        log_case_view(request, case, "events")
        return Response(CaseEventSerializer(selectors.case_events(case), many=True).data)


class EligibilityRulesView(APIView):
    @extend_schema(
        summary="The eligibility rules (texts, sources, versions) and the parameters in force",
        parameters=[
            OpenApiParameter(
                "programme",
                int,
                description="Agreement id: that programme's parameters (its own, else those "
                "for every programme, else the defaults). Without it: those for every programme.",
            )
        ],
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="{rule_set_version, rules: [...], parameters: {name: value}}",
            )
        },
    )
    def get(self, request: Request) -> Response:
        refuse_unknown_parameters(request, accepted=("programme",))
        # ?programme=<agreement id>: that programme's parameters; without it, the values for
        # every programme without its own.
        given = request.query_params.getlist("programme")
        if len(given) > 1 or (given and not given[0].isdigit()):
            raise serializers.ValidationError(
                {"programme": [_("Give one programme, as its agreement id (a whole number).")]}
            )
        params = eligibility.params_load(int(given[0]) if given else None)
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
    AccessLoggedListMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TransportBatch],
):
    serializer_class = TransportBatchSerializer
    queryset = TransportBatch.objects.prefetch_related("manifest__case").order_by(
        "departs_on", "id"
    )

    def people_listed(self, rows: list[TransportBatch]) -> list[Any]:
        # Each manifest names people by their case.
        entries = (entry for batch in rows for entry in batch.manifest.all())
        return people_on(entries, ["case.inmate_id"])

    lookup_value_regex = r"\d+"
    filter_backends = [StrictFilterBackend]  # no filters: the page parameters only

    @extend_schema(
        summary="Plan a transport", responses={201: TransportBatchSerializer, **_REFUSALS}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, TransportBatchSerializer)
        batch = services.batch_create(actor=acting_user(request), **given)
        return Response(TransportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)
