"""The finance API: pricing terms, aid streams, the schedule's tranches with their moves, and the
cost per occupied place-day. Reads are read-only viewsets over the selectors. Each move is a POST
action whose input serializer only parses; the service decides, and a refusal reaches the client
in the project's one error shape (400 for input the rules refuse, 409 for a state that blocks it).
Every move needs If-Match with the tranche's ETag (its version): 428 without, 412 when stale.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance import selectors, services, terms_admin
from finance.api.serializers import (
    AidStreamSerializer,
    ConditionAddInput,
    ConditionEditInput,
    ConditionEvidenceInput,
    CostQueryInput,
    CostReportSerializer,
    PricingTermsSerializer,
    TrancheConditionSerializer,
    TrancheSerializer,
)
from finance.models import AidStream, Tranche, TrancheCondition
from finance.moves import TRANCHE_MOVES, TrancheMove
from program.cells.api.views import WrittenByService
from program.core.acting import acting_user
from program.core.api.filters import IntegerFilter
from program.core.api.inputs import checked
from program.core.api.parsers import FormParser, JSONParser, MultiPartParser
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from program.core.errors import ApplicationError, NotFoundError

TRANCHE = "tranche"


class PricingTermsViewSet(WrittenByService):
    """Read by finance and the auditor; recorded and amended by the finance officer."""

    serializer_class = PricingTermsSerializer
    queryset = selectors.pricing_terms_list()
    filterset_fields = ["agreement", "pricing_model"]

    def save(self, instance: Any, values: dict[str, Any]) -> Any:
        agreement = values.pop("agreement", None) or instance.agreement
        return terms_admin.pricing_terms_save(
            terms=instance, agreement=agreement, values=values, actor=self.request.user
        )


class AidStreamViewSet(viewsets.ReadOnlyModelViewSet[AidStream]):
    serializer_class = AidStreamSerializer
    queryset = selectors.aid_stream_list()
    filterset_fields = ["agreement"]


# --- Tranches ---------------------------------------------------------------------------------


class TrancheFilter(django_filters.FilterSet):
    agreement = IntegerFilter(field_name="agreement_id")
    stream = django_filters.ChoiceFilter(choices=Tranche.Stream.choices)
    status = django_filters.ChoiceFilter(choices=Tranche.Status.choices)
    # A whole year a date can have: a fraction or a year past 9999 is a 400, not a crash.
    year = IntegerFilter(
        field_name="due_on",
        lookup_expr="year",
        label="Year due",
        min_value=1,
        max_value=9999,
    )

    class Meta:
        model = Tranche
        fields = ["agreement", "stream", "status", "year"]


ERROR = inline_serializer(
    "FinanceError",
    {
        "error": inline_serializer(
            "FinanceErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.DictField(),
            },
        )
    },
)


def _refusals(roles: str) -> dict[int, OpenApiResponse]:
    return {
        400: OpenApiResponse(ERROR, description="Invalid input, or a rule the input breaks."),
        403: OpenApiResponse(ERROR, description=f"Only {roles} may do this."),
        404: OpenApiResponse(ERROR, description="No such tranche."),
        409: OpenApiResponse(
            ERROR, description="The tranche is not in a status this move starts from."
        ),
        **precondition_responses(TRANCHE),
    }


# Every move is a write on the tranche row: it needs the ETag read last (If-Match).
_MOVE_HEADERS = [if_match_parameter(TRANCHE), etag_header(200)]


def _tranche_queryset() -> QuerySet[Tranche]:
    return selectors.tranche_list().select_related("payment")


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class TrancheViewSet(viewsets.ReadOnlyModelViewSet[Tranche]):
    """The payment schedule (readable by finance officers, approvers and auditors) and its moves:
    invoice and pay by a finance officer; approve, reject and withhold by a finance approver (never
    the tranche's preparer: the database refuses it); dispute by either.

    Per-inmate-month rent is billed in arrears for each ended period of one, three or twelve
    calendar months: each calendar month costs price × the month's occupied place-days ÷ the days
    in that month (pro rata for partial months), rounded to the cent month by month; the tranche
    falls due the day after its period and carries `occupied_place_days`. When occupancy of a
    period whose tranche is past planned changes, a `correction` tranche (possibly negative, a
    credit) is added with `corrects` naming the tranche it adjusts; that tranche never changes."""

    serializer_class = TrancheSerializer
    queryset = _tranche_queryset()
    filterset_class = TrancheFilter
    lookup_value_regex = r"\d+"

    def _answer(self, tranche: Tranche) -> Response:
        fresh = _tranche_queryset().get(pk=tranche.pk)
        return with_etag(Response(TrancheSerializer(fresh).data), fresh.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tranche = self.get_object()
        return with_etag(Response(self.get_serializer(tranche).data), tranche.version)

    def _pk(self) -> int:
        # The service locks and reads the row itself; here only whether it exists, for a 404.
        pk = int(self.kwargs["pk"])
        if not Tranche.objects.filter(pk=pk).exists():
            raise NotFoundError(_("There is no tranche %(pk)s.") % {"pk": pk})
        return pk

    def _target(self) -> tuple[int, int]:
        """The tranche's id (404 if none) and the version the client read, from If-Match (428
        without it); the service compares that version under the row lock (412 if stale)."""
        pk = self._pk()
        return pk, if_match(self.request, parse=version_number, thing=TRANCHE)


def _move_action(move: TrancheMove) -> Callable[..., Response]:
    """The POST action of one tranche move (`tranches/<pk>/<key>/`), with its OpenAPI text from
    the registry: the tranche (404) and the version read (If-Match: 428, then 412 in the
    service) first, then the input (400), then the service's decision."""

    def act(self: TrancheViewSet, request: Request, pk: str) -> Response:
        tranche_id, read_version = self._target()
        data = checked(self.request, move.api_input)
        tranche = move.perform(
            tranche_id, data, actor=acting_user(request), expected_version=read_version
        )
        return self._answer(tranche)

    # The router names the route and binds the handler by the function's name.
    act.__name__ = move.key
    act.__qualname__ = f"TrancheViewSet.{move.key}"
    return extend_schema(
        operation_id=f"tranche_{move.key}",
        summary=move.api_summary,
        description=move.api_description or None,
        request=move.api_input,
        responses={200: TrancheSerializer, **_refusals(move.api_who)},
        parameters=_MOVE_HEADERS,
    )(action(detail=True, methods=["post"])(act))


for _move in TRANCHE_MOVES:
    setattr(TrancheViewSet, _move.key, _move_action(_move))


# --- Release conditions -----------------------------------------------------------------------


class ConditionFilter(django_filters.FilterSet):
    tranche = IntegerFilter(field_name="tranche_id")

    class Meta:
        model = TrancheCondition
        fields = ["tranche"]


_CONDITION_REFUSALS = {
    400: OpenApiResponse(ERROR, description="Invalid input, or a rule the input breaks."),
    403: OpenApiResponse(ERROR, description="Not allowed for your role."),
    404: OpenApiResponse(ERROR, description="No such condition or tranche."),
    409: OpenApiResponse(
        ERROR, description="The tranche is approved or settled, or the condition is met."
    ),
}


@extend_schema_view(
    create=extend_schema(
        summary="Add a release condition to a tranche not yet approved (finance officer)",
        request=ConditionAddInput,
        responses={201: TrancheConditionSerializer, **_CONDITION_REFUSALS},
    ),
    partial_update=extend_schema(
        summary="Change a condition not yet met (finance officer)",
        description="Changing the kind clears evidence recorded for the old kind.",
        request=ConditionEditInput,
        responses={200: TrancheConditionSerializer, **_CONDITION_REFUSALS},
    ),
    destroy=extend_schema(
        summary="Remove a condition not yet met (finance officer)",
        responses={204: None, **_CONDITION_REFUSALS},
    ),
)
class TrancheConditionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[TrancheCondition],
):
    """Release conditions of tranches. A condition is met in two steps by two people: a finance
    officer records the evidence (a file, or the reference of a document kept elsewhere), then a
    finance officer or approver who neither added it nor recorded the evidence signs it off.
    Conditions are added, changed and removed until the tranche is approved."""

    serializer_class = TrancheConditionSerializer
    # The finding a condition waits for and its actions: two queries for the whole page.
    queryset = (
        TrancheCondition.objects.select_related("finding")
        .prefetch_related("finding__actions")
        .order_by("tranche_id", "kind", "pk")
    )
    filterset_class = ConditionFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _answer(self, condition: TrancheCondition, code: int = 200) -> Response:
        fresh = TrancheCondition.objects.get(pk=condition.pk)
        return Response(TrancheConditionSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = checked(self.request, ConditionAddInput)
        if not Tranche.objects.filter(pk=data["tranche"]).exists():
            raise NotFoundError(
                _("There is no tranche %(pk)s.") % {"pk": data["tranche"]},
                details={"tranche": data["tranche"]},
            )
        condition = services.condition_add(
            tranche=data["tranche"],
            kind=data["kind"],
            description=data.get("description", ""),
            actor=acting_user(request),
        )
        return self._answer(condition, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        condition = self.get_object()
        data = checked(self.request, ConditionEditInput)
        changed = services.condition_edit(
            condition=condition.pk,
            kind=data["kind"],
            description=data.get("description", condition.description),
            actor=acting_user(request),
        )
        return self._answer(changed)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        condition = self.get_object()
        services.condition_remove(condition=condition.pk, actor=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="tranche_condition_evidence",
        summary="Record the evidence for a condition (finance officer)",
        description="A file (multipart) or a document reference, or both; the condition waits "
        "for a second person's sign-off.",
        request={"multipart/form-data": ConditionEvidenceInput},
        responses={200: TrancheConditionSerializer, **_CONDITION_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, pk: str) -> Response:
        condition = self.get_object()
        data = checked(self.request, ConditionEvidenceInput)
        recorded = services.condition_record_evidence(
            condition=condition.pk,
            evidence=data.get("evidence"),
            reference=data.get("reference", ""),
            note=data.get("note", ""),
            actor=acting_user(request),
        )
        return self._answer(recorded)

    @extend_schema(
        operation_id="tranche_condition_sign_off",
        summary="Sign a condition off as the second person (finance officer or approver)",
        description="Never by whoever added the condition or recorded its evidence.",
        request=None,
        responses={200: TrancheConditionSerializer, **_CONDITION_REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="sign-off")
    def sign_off(self, request: Request, pk: str) -> Response:
        condition = self.get_object()
        signed = services.condition_sign_off(condition=condition.pk, actor=acting_user(request))
        return self._answer(signed)


# --- Cost per occupied place-day --------------------------------------------------------------


def report_window(start: date | None, last: date | None) -> tuple[date, date]:
    """[start, end) from a first and last day, by default this calendar year; refused if
    reversed or longer than the report allows."""
    year = timezone.localdate().year
    start = start or date(year, 1, 1)
    last = last or date(start.year, 12, 31)
    if last < start:
        raise ApplicationError(
            _("The last day %(to)s is before the first day %(from)s.")
            % {"to": last.isoformat(), "from": start.isoformat()},
            details={"to": last.isoformat()},
        )
    if last.year - start.year >= selectors.MAX_REPORT_YEARS:
        raise ApplicationError(
            _("Choose a period of at most %(n)d years.") % {"n": selectors.MAX_REPORT_YEARS},
            details={"to": last.isoformat()},
        )
    return start, last + timedelta(days=1)


class CostPerPlaceDayView(APIView):
    """The cost report's twin: numbers only, never a person."""

    @extend_schema(
        operation_id="cost_per_place_day",
        summary="Cost per occupied place-day by quarter and by year",
        description="Rent owed (rent tranches pro rata by day) ÷ occupied place-days (placements "
        "that exist; no forecast). Paid-but-empty place-days are contracted places × rent days "
        "less occupied ones. An inmate-month is a calendar month: each month's occupied "
        "place-days ÷ the days of that month, priced at the fee and rounded to the cent month "
        "by month, exactly as a per-inmate-month agreement is billed. Readable by finance "
        "officers, approvers and auditors.",
        parameters=[CostQueryInput],
        responses={
            200: CostReportSerializer,
            400: OpenApiResponse(ERROR),
            404: OpenApiResponse(ERROR, description="No such agreement."),
        },
    )
    def get(self, request: Request) -> Response:
        query = CostQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = report_window(
            query.validated_data.get("start"), query.validated_data.get("end")
        )
        agreement = selectors.report_agreement(query.validated_data.get("agreement"))
        if agreement is None:
            raise NotFoundError(_("No such agreement."), details={"agreement": None})
        report = selectors.cost_report(agreement=agreement, start=start, end=end)
        return Response(CostReportSerializer(report).data)
