"""Family contact's API: the visits the user may see (the same scope as the pages), a request by
POST, and the moves book and outcome as actions with If-Match (428 without, 412 when stale).
Every list and every visit read is in the access log."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.audit.listing import AccessLoggedListMixin
from program.audit.services import access_log_record
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
from program.core.errors import NotFoundError
from program.visits import selectors, services
from program.visits.api.serializers import (
    ContactCountsSerializer,
    VisitBookInput,
    VisitOutcomeInput,
    VisitSerializer,
)
from program.visits.models import Visit

VISIT = "visit"


class VisitFilter(django_filters.FilterSet):
    inmate = IntegerFilter(field_name="inmate_id", min_value=1)
    facility = IntegerFilter(field_name="facility_id", min_value=1)
    status = django_filters.ChoiceFilter(choices=Visit.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Visit.Kind.choices)
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Visit
        fields = ["inmate", "facility", "status", "kind", "date_from", "date_to"]


_MOVE_HEADERS = [if_match_parameter(VISIT), etag_header(200)]


@extend_schema_view(retrieve=extend_schema(parameters=[etag_header(200)]))
class VisitViewSet(
    AccessLoggedListMixin,
    VersionedMoves[Visit],
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Visit],
):
    """Visits and video calls. Host-facility staff see their facility's, caseworkers their
    cases', the governor and the auditor all. A POST requests a visit (caseworker or host
    staff); `book` (host staff) and `outcome` are actions that need If-Match."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    move_thing = VISIT
    listed_people = ("inmate_id",)
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Visit]:
        return selectors.visits_for(self.request.user).order_by("starts_at", "requested_on", "id")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        visit = self.get_object()
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=visit.inmate_id
        )
        return with_etag(Response(self.get_serializer(visit).data), visit.version)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = checked(request, VisitSerializer)
        values = given
        visit = services.visit_request(
            inmate=values["inmate"],
            facility=values["facility"],
            kind=values["kind"],
            requested_by=values["requested_by"],
            wished_on=values.get("wished_on"),
            interpreter_needed=values.get("interpreter_needed", False),
            interpreter_language=values.get("interpreter_language", ""),
            note=values.get("note", ""),
            visitors=[services.VisitorInput(**v) for v in values["visitors"]],
            actor=acting_user(request),
        )
        return self.answer(visit, status.HTTP_201_CREATED)

    def answer(self, visit: Visit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=visit.pk).first() or visit
        return with_etag(Response(VisitSerializer(fresh).data, status=code), fresh.version)

    def missing(self, pk: int) -> str:
        return _("There is no visit %(pk)s that you may see.") % {"pk": pk}

    @extend_schema(
        operation_id="visit_book",
        summary="Book a requested visit for a time (host-facility staff)",
        request=VisitBookInput,
        responses={200: VisitSerializer, **precondition_responses(VISIT)},
        parameters=_MOVE_HEADERS,
    )
    @action(detail=True, methods=["post"])
    def book(self, request: Request, pk: str) -> Response:
        return self.move(
            request,
            VisitBookInput,
            lambda visit, given, version: services.visit_book(
                visit=visit,
                starts_at=given["starts_at"],
                ends_at=given["ends_at"],
                actor=acting_user(request),
                expected_version=version,
            ),
        )

    @extend_schema(
        operation_id="visit_outcome",
        summary="Record how a visit ended: took place, cancelled or refused (with the reason)",
        request=VisitOutcomeInput,
        responses={200: VisitSerializer, **precondition_responses(VISIT)},
        parameters=_MOVE_HEADERS,
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        return self.move(
            request,
            VisitOutcomeInput,
            lambda visit, given, version: services.visit_record_outcome(
                visit=visit,
                outcome=given["outcome"],
                reason=given["reason"],
                actor=acting_user(request),
                expected_version=version,
            ),
        )

    @extend_schema(
        operation_id="visit_contact_counts",
        summary="Visits and video calls of one person in the last 12 months (E15)",
        responses={200: ContactCountsSerializer},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path=r"contact-counts/(?P<pk>\d+)")
    def contact_counts(self, request: Request, pk: str) -> Response:
        inmate_id = int(pk)
        if not selectors.may_see_person(user=request.user, inmate_id=inmate_id):
            raise NotFoundError(
                _("There is no person %(pk)s whose visits you may see.") % {"pk": inmate_id}
            )
        access_log_record(
            request=request, action="view", subject_type="inmate", subject_id=inmate_id
        )
        counts = selectors.contact_counts(inmate_id=inmate_id)
        return Response(ContactCountsSerializer(counts).data)
