"""POST /api/v1/tranche-conditions/finding/: make an inspection finding a release condition of a
tranche (docs/inspections.md). Kept beside, not inside, the conditions' viewset."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from finance.api.serializers import ConditionFindingInput, TrancheConditionSerializer
from finance.api.views import ERROR
from finance.models import Tranche, TrancheCondition
from finance.services_findings import condition_link_finding
from program.core.acting import acting_user
from program.core.api.inputs import checked
from program.core.errors import NotFoundError


class ConditionFindingView(APIView):
    """Link a finding to a tranche as its release condition."""

    @extend_schema(
        operation_id="tranche_condition_finding",
        summary="Make an inspection finding a release condition of a tranche (finance officer)",
        description="The tranche's “inspection findings closed” condition (added if it has "
        "none) names the finding; it can be signed off only once every action promised on the "
        "finding is done, and until then the tranche cannot be approved.",
        request=ConditionFindingInput,
        responses={
            201: TrancheConditionSerializer,
            400: OpenApiResponse(ERROR, description="The finding is not of this agreement."),
            404: OpenApiResponse(ERROR, description="No such tranche or finding."),
            409: OpenApiResponse(
                ERROR,
                description="The tranche is approved, or its condition is met or waits "
                "for another finding.",
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, ConditionFindingInput)
        values = given
        if not Tranche.objects.filter(pk=values["tranche"]).exists():
            raise NotFoundError(
                _("There is no tranche %(pk)s.") % {"pk": values["tranche"]},
                details={"tranche": values["tranche"]},
            )
        condition = condition_link_finding(
            tranche=values["tranche"],
            finding=values["finding"],
            description=values.get("description", ""),
            actor=acting_user(request),
        )
        fresh = (
            TrancheCondition.objects.select_related("finding")
            .prefetch_related("finding__actions")
            .get(pk=condition.pk)
        )
        return Response(TrancheConditionSerializer(fresh).data, status=status.HTTP_201_CREATED)
