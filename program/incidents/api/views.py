"""The incident endpoints: the twins of the pages, scoped by selectors.incidents_for (host
staff: their facility only), with the same access logging (docs/incidents.md)."""

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from program.audit.listing import AccessLoggedListMixin
from program.audit.services import access_log_record_many
from program.core.acting import acting_user
from program.core.api.filters import IntegerFilter
from program.core.api.inputs import checked
from program.core.api.preconditions import (
    etag_header,
    if_match,
    if_match_parameter,
    precondition_responses,
    version_number,
    with_etag,
)
from program.core.errors import NotFoundError
from program.incidents import selectors, services
from program.incidents.api.serializers import (
    IncidentCreateSerializer,
    IncidentDetailSerializer,
    IncidentReviewInputSerializer,
    IncidentSerializer,
)
from program.incidents.models import Incident, IncidentInmate

INCIDENT = "incident"
PURPOSE = "incident"


class IncidentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Incident.Kind.choices, label="Kind of incident")
    state = django_filters.ChoiceFilter(choices=Incident.State.choices, label="State")
    facility = IntegerFilter(field_name="facility_id", label="Facility id")
    inmate = IntegerFilter(method="filter_inmate", label="Id of an inmate involved")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Review owed and past its deadline"
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_inmate(
        self, queryset: QuerySet[Incident], name: str, value: int
    ) -> QuerySet[Incident]:
        return queryset.filter(people__inmate_id=value)

    def filter_overdue(
        self, queryset: QuerySet[Incident], name: str, value: bool | None
    ) -> QuerySet[Incident]:
        if value is None:
            return queryset
        owed = selectors.overdue(queryset)
        return owed if value else queryset.exclude(pk__in=owed.values("pk"))


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class IncidentViewSet(
    AccessLoggedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Incident]
):
    """Incidents at the host facilities. Host staff read and report only at the facility they
    are posted to; `injuries` (health data) is left out for them. Every read names the people
    in the access log. The review (governor) must carry If-Match with the ETag (the version)."""

    filterset_class = IncidentFilter
    ordering_fields = ["occurred_at", "review_due_at"]
    ordering = ["-occurred_at", "-id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Incident]:
        people = Prefetch(
            "people",
            queryset=IncidentInmate.objects.select_related("inmate").order_by("inmate__name"),
        )
        rows = selectors.incidents_for(self.request.user).prefetch_related(people)
        if self.action == "list":
            return rows.select_related("reported_by")
        return rows.select_related("reported_by", "authority_notice").prefetch_related(
            "reviews__reviewer"
        )

    def get_serializer_class(self) -> type[BaseSerializer[Incident]]:
        if self.action == "list":
            return IncidentSerializer
        if self.action == "create":
            return IncidentCreateSerializer
        if self.action == "review":
            return IncidentReviewInputSerializer
        return IncidentDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "sees_injuries": selectors.sees_injuries(self.request.user),
        }

    def people_listed(self, rows: list[Any]) -> list[Any]:
        return [person.inmate_id for row in rows for person in row.people.all()]

    def _respond(self, pk: int, http_status: int = status.HTTP_200_OK) -> Response:
        incident = self.get_queryset().get(pk=pk)
        self._log(incident)
        data = IncidentDetailSerializer(incident, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=http_status), incident.version)

    def _log(self, incident: Incident) -> None:
        people = [person.inmate_id for person in incident.people.all()]
        if people:
            access_log_record_many(
                request=self.request,
                action="view",
                subject_type="inmate",
                subject_ids=people,
                purpose=PURPOSE,
                criterion={"incident": incident.pk},
            )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        self._log(incident)
        data = IncidentDetailSerializer(incident, context=self.get_serializer_context()).data
        return with_etag(Response(data), incident.version)

    @extend_schema(
        request=IncidentCreateSerializer,
        responses={201: IncidentDetailSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        given = checked(request, IncidentCreateSerializer)
        data = given
        staff_ids = data.pop("named_staff", [])
        staff = list(get_user_model().objects.filter(pk__in=staff_ids))
        if len(staff) != len(set(staff_ids)):
            raise NotFoundError(
                _("A named member of staff is not a user."), details={"named_staff": staff_ids}
            )
        incident = services.incident_report(actor=acting_user(request), named_staff=staff, **data)
        return self._respond(incident.pk, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="incident_review",
        summary="Record the governor's review: close the incident or ask for more information",
        request=IncidentReviewInputSerializer,
        responses={200: IncidentDetailSerializer, **precondition_responses(INCIDENT)},
        parameters=[if_match_parameter(INCIDENT), etag_header(200)],
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        read_version = if_match(request, parse=version_number, thing=INCIDENT)
        given = checked(request, IncidentReviewInputSerializer)
        services.incident_review(
            actor=acting_user(request),
            incident_id=incident.pk,
            expected_version=read_version,
            **given,
        )
        return self._respond(incident.pk)
