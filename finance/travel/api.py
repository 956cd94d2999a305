"""The travel-support stream over the API: budgets, grants with their moves (approve, reject,
pay: If-Match with the grant's version, 428 without, 412 when stale) and the budget report.

A grant shows of its visit only the date, kind, facility and the visitors' relations: never the
inmate's name, conviction or health.
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.travel import selectors, services
from finance.travel.models import TravelBudget, TravelGrant
from program.core.acting import acting_user
from program.core.api.filters import IntegerFilter
from program.core.api.inputs import checked
from program.core.api.moves import VersionedMoves
from program.core.api.preconditions import (
    etag_header,
    if_match_parameter,
    precondition_responses,
    with_etag,
)

GRANT = "travel grant"


class TravelBudgetSerializer(serializers.ModelSerializer[TravelBudget]):
    class Meta:
        model = TravelBudget
        fields = ["id", "agreement", "year", "amount", "currency"]
        read_only_fields = ["id", "currency"]
        # The service decides whether a year already has a budget (it is then changed).
        validators: list[Any] = []


class GrantVisitSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    kind = serializers.CharField()
    facility = serializers.CharField(source="facility.name")
    relations = serializers.SerializerMethodField()

    def get_relations(self, visit: Any) -> list[dict[str, str]]:
        return [{"relation": v.relation, "age_group": v.age_group} for v in visit.visitors.all()]


class TravelGrantSerializer(serializers.ModelSerializer[TravelGrant]):
    # The visit is given by id; the service checks that it may carry a grant.
    visit = serializers.IntegerField(source="visit_id", min_value=1)
    visit_seen = GrantVisitSerializer(read_only=True, allow_null=True)
    year = serializers.IntegerField(source="budget.year", read_only=True)
    agreement = serializers.IntegerField(source="budget.agreement_id", read_only=True)

    class Meta:
        model = TravelGrant
        fields = [
            "id",
            "visit",
            "visit_seen",
            "agreement",
            "year",
            "amount",
            "currency",
            "covers",
            "status",
            "version",
            "rejection_reason",
            "paid_on",
            "payment_reference",
        ]
        read_only_fields = [
            "id",
            "currency",
            "status",
            "version",
            "rejection_reason",
            "paid_on",
            "payment_reference",
        ]


class GrantDecisionInput(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class GrantPayInput(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    payment_reference = serializers.CharField(max_length=100)


class GrantFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TravelGrant.Status.choices)
    year = IntegerFilter(field_name="budget__year", min_value=2000, max_value=2100)
    agreement = IntegerFilter(field_name="budget__agreement_id", min_value=1)

    class Meta:
        model = TravelGrant
        fields = ["status", "year", "agreement"]


class BudgetFilter(django_filters.FilterSet):
    year = IntegerFilter(field_name="year", min_value=2000, max_value=2100)
    agreement = IntegerFilter(field_name="agreement_id", min_value=1)

    class Meta:
        model = TravelBudget
        fields = ["year", "agreement"]


class TravelBudgetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[TravelBudget]):
    """Each programme's travel-support budget per year; a POST records or changes a year's."""

    serializer_class = TravelBudgetSerializer
    queryset = TravelBudget.objects.order_by("agreement_id", "year")
    filterset_class = BudgetFilter
    lookup_value_regex = r"\d+"

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, TravelBudgetSerializer)
        budget = services.travel_budget_set(
            agreement=given["agreement"],
            year=given["year"],
            amount=given["amount"],
            actor=acting_user(request),
        )
        return Response(TravelBudgetSerializer(budget).data, status=status.HTTP_201_CREATED)


_MOVE_HEADERS = [if_match_parameter(GRANT), etag_header(200)]


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class TravelGrantViewSet(
    VersionedMoves[TravelGrant],
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet[TravelGrant],
):
    """Travel grants: prepared by a finance officer (POST), approved by two different finance
    approvers (neither the preparer; the database refuses it), then paid."""

    serializer_class = TravelGrantSerializer
    filterset_class = GrantFilter
    move_thing = GRANT
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[TravelGrant]:
        return selectors.grant_list()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.with_visits(list(page if page is not None else queryset))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grant = self.get_object()
        selectors.with_visits([grant])
        return with_etag(Response(self.get_serializer(grant).data), grant.version)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, TravelGrantSerializer)
        grant = services.travel_grant_prepare(
            visit=given["visit_id"],
            amount=given["amount"],
            covers=given["covers"],
            actor=acting_user(request),
        )
        return self.answer(grant, status.HTTP_201_CREATED)

    def answer(self, grant: TravelGrant, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.grant_list().get(pk=grant.pk)
        selectors.with_visits([fresh])
        return with_etag(Response(TravelGrantSerializer(fresh).data, status=code), fresh.version)

    def missing(self, pk: int) -> str:
        return _("There is no travel grant %(pk)s.") % {"pk": pk}

    def _decide(self, request: Request, decide: Callable[..., TravelGrant]) -> Response:
        """Approve and reject take the same input: the approver's comment."""
        return self.move(
            request,
            GrantDecisionInput,
            lambda grant, given, version: decide(
                grant=grant,
                actor=acting_user(request),
                comment=given["comment"],
                expected_version=version,
            ),
        )

    @extend_schema(
        operation_id="travel_grant_approve",
        summary="Approve a travel grant at the next level (finance approver, not the preparer)",
        request=GrantDecisionInput,
        responses={200: TravelGrantSerializer, **precondition_responses(GRANT)},
        parameters=_MOVE_HEADERS,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, services.travel_grant_approve)

    @extend_schema(
        operation_id="travel_grant_reject",
        summary="Reject a travel grant with the reason (finance approver)",
        request=GrantDecisionInput,
        responses={200: TravelGrantSerializer, **precondition_responses(GRANT)},
        parameters=_MOVE_HEADERS,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, services.travel_grant_reject)

    @extend_schema(
        operation_id="travel_grant_pay",
        summary="Record the payment of an approved travel grant (finance officer)",
        request=GrantPayInput,
        responses={200: TravelGrantSerializer, **precondition_responses(GRANT)},
        parameters=_MOVE_HEADERS,
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        return self.move(
            request,
            GrantPayInput,
            lambda grant, given, version: services.travel_grant_pay(
                grant=grant,
                paid_on=given["paid_on"],
                payment_reference=given["payment_reference"],
                actor=acting_user(request),
                expected_version=version,
            ),
        )


class ReportRowSerializer(serializers.Serializer[Any]):
    budget_id = serializers.IntegerField()
    agreement = serializers.CharField()
    year = serializers.IntegerField()
    currency = serializers.CharField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    granted = serializers.DecimalField(max_digits=16, decimal_places=2)
    approved = serializers.DecimalField(max_digits=16, decimal_places=2)
    paid = serializers.DecimalField(max_digits=16, decimal_places=2)
    left = serializers.DecimalField(max_digits=16, decimal_places=2)
    waiting = serializers.IntegerField()


class ReportQuery(serializers.Serializer[Any]):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    agreement = serializers.IntegerField(required=False, min_value=1)


class TravelSupportReportView(APIView):
    """Grants against the budget per programme and year: granted (every grant not rejected),
    approved (approved or paid), paid, and left (budget less granted)."""

    @extend_schema(
        operation_id="travel_support_report",
        parameters=[ReportQuery],
        responses={200: ReportRowSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        unknown = set(request.query_params) - {"year", "agreement"}
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Unknown parameter.")] for name in sorted(unknown)}
            )
        query = ReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.budget_report(**query.validated_data)
        return Response(ReportRowSerializer(rows, many=True).data)
