"""/api/v1/inspections/, /api/v1/findings/ and /api/v1/finding-actions/.

The governor and the occupancy administrators write (POST, PATCH with If-Match, 428 without it,
412 when stale); the auditor reads. A finding about a person names them (its `person` id): a
finding read is logged as a read of that person's record, and a list as a read of everyone on it.
"""

from typing import Any

import django_filters
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.audit.listing import AccessLoggedListMixin
from program.audit.services import access_log_record
from program.cells.models import Cell, Facility, Unit
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
from program.core.errors import ApplicationError
from program.inmates.models import Inmate
from program.inspections import selectors, services
from program.inspections.api.serializers import (
    ActionInput,
    ActionPatchInput,
    FindingActionSerializer,
    FindingInput,
    FindingPatchInput,
    FindingSerializer,
    InspectionInput,
    InspectionPatchInput,
    InspectionSerializer,
    ReportInput,
)
from program.inspections.models import Finding, FindingAction, Inspection, InspectionBody

INSPECTION, FINDING, ACTION = "inspection", "finding", "action"


def _create_and_patch_schema(
    kind: str, output: type[Any], *, create: tuple[str, type[Any]], patch: tuple[str, type[Any]]
) -> Any:
    """The schema of a record that is read with an ETag, created by POST and changed by PATCH
    with If-Match: each part given as (summary, input serializer)."""
    create_summary, create_input = create
    patch_summary, patch_input = patch
    return extend_schema_view(
        retrieve=extend_schema(parameters=[etag_header(200)]),
        create=extend_schema(summary=create_summary, request=create_input, responses={201: output}),
        partial_update=extend_schema(
            summary=patch_summary,
            request=patch_input,
            responses={200: output, **precondition_responses(kind)},
            parameters=[if_match_parameter(kind), etag_header(200)],
        ),
    )


def _row(model: Any, pk: int | None, name: str) -> Any:
    """The row an input names by id, or a 400 at that field: an id in the body that names
    nothing is a mistake in the request, not a page that is not there (404 is for the path)."""
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        message = _("There is no %(what)s %(pk)s.") % {"what": name, "pk": pk}
        raise ApplicationError(message, details={name: [message]})
    return row


class InspectionFilter(django_filters.FilterSet):
    facility = IntegerFilter(field_name="facility_id")
    body = IntegerFilter(field_name="body_id")

    class Meta:
        model = Inspection
        fields = ["facility", "body", "kind"]


@_create_and_patch_schema(
    INSPECTION,
    InspectionSerializer,
    create=("Record an inspection (governor, occupancy administrator)", InspectionInput),
    patch=("Change an inspection (governor, occupancy administrator)", InspectionPatchInput),
)
class InspectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Inspection],
):
    """Visits by an inspection body (the Ombudsman, the Kosovo Ombudsperson, the CPT, …) to a
    facility, with the report once it is published."""

    serializer_class = InspectionSerializer
    queryset = selectors.inspection_list().order_by("-starts_on", "-pk")
    filterset_class = InspectionFilter
    ordering_fields = ["starts_on"]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _answer(self, inspection: Inspection, code: int = 200) -> Response:
        fresh = selectors.inspection_list().get(pk=inspection.pk)
        return with_etag(Response(InspectionSerializer(fresh).data, status=code), fresh.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        if "body" in values:
            values["body"] = _row(InspectionBody, values["body"], "body")
        if "facility" in values:
            values["facility"] = _row(Facility, values["facility"], "facility")
        return values

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = self._values(checked(request, InspectionInput))
        inspection = services.inspection_record(**values, actor=acting_user(request))
        return self._answer(inspection, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        inspection = self.get_object()
        read = if_match(request, parse=version_number, thing=INSPECTION)
        values = self._values(checked(request, InspectionPatchInput))
        changed = services.inspection_edit(
            inspection=inspection.pk,
            values=values,
            expected_version=read,
            actor=acting_user(request),
        )
        return self._answer(changed)

    @extend_schema(
        operation_id="inspection_report",
        summary="Attach the published report (PDF, PNG or JPEG, at most 10 MB)",
        request={"multipart/form-data": ReportInput},
        responses={200: InspectionSerializer, **precondition_responses(INSPECTION)},
        parameters=[if_match_parameter(INSPECTION), etag_header(200)],
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        inspection = self.get_object()
        read = if_match(request, parse=version_number, thing=INSPECTION)
        data = checked(request, ReportInput)
        values = {"published_on": data["published_on"]} if "published_on" in data else {}
        changed = services.inspection_edit(
            inspection=inspection.pk,
            values=values,
            report=data["report"],
            expected_version=read,
            actor=acting_user(request),
        )
        return self._answer(changed)


class FindingFilter(django_filters.FilterSet):
    inspection = IntegerFilter(field_name="inspection_id")
    facility = IntegerFilter(field_name="inspection__facility_id")

    class Meta:
        model = Finding
        fields = ["inspection", "facility", "severity", "concerns"]


@_create_and_patch_schema(
    FINDING,
    FindingSerializer,
    create=("Record a finding of an inspection (governor, occupancy administrator)", FindingInput),
    patch=("Correct a finding (governor, occupancy administrator)", FindingPatchInput),
)
class FindingViewSet(
    AccessLoggedListMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Finding],
):
    """Findings of inspections with their promised actions and the status derived from them.
    A finding about a person carries the person's id; reading it is logged."""

    serializer_class = FindingSerializer
    queryset = selectors.finding_list().order_by("inspection_id", "pk")
    filterset_class = FindingFilter
    listed_people = ("person_id",)
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, finding: Finding, code: int = 200) -> Response:
        fresh = selectors.finding_list().get(pk=finding.pk)
        return with_etag(Response(FindingSerializer(fresh).data, status=code), fresh.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        finding = self.get_object()
        if finding.person_id is not None:
            access_log_record(
                request=request,
                action="view",
                subject_type="inmate",
                subject_id=finding.person_id,
                criterion={"finding": finding.pk},
            )
        return self._answer(finding)

    def _links(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": data["title"],
            "text": data["text"],
            "severity": data["severity"],
            "concerns": data["concerns"],
            "unit": _row(Unit, data.get("unit"), "unit"),
            "cell": _row(Cell, data.get("cell"), "cell"),
            "person": _row(Inmate, data.get("person"), "person"),
            "practice": data.get("practice", ""),
        }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = checked(request, FindingInput)
        inspection = _row(Inspection, data["inspection"], "inspection")
        finding = services.finding_record(
            inspection=inspection.pk, **self._links(data), actor=acting_user(request)
        )
        return self._answer(finding, status.HTTP_201_CREATED)

    @transaction.atomic
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        finding = self.get_object()
        read = if_match(request, parse=version_number, thing=FINDING)
        given = checked(request, FindingPatchInput)
        # What is not given stays as it was (a PATCH); a new `concerns` starts its links afresh.
        current: dict[str, Any] = {
            "title": finding.title,
            "text": finding.text,
            "severity": finding.severity,
            "concerns": finding.concerns,
            "unit": finding.unit_id,
            "cell": finding.cell_id,
            "person": finding.person_id,
            "practice": finding.practice,
        }
        if "concerns" in given:
            current.update(unit=None, cell=None, person=None, practice="")
        data = {**current, **given}
        changed = services.finding_edit(
            finding=finding.pk,
            **self._links(data),
            expected_version=read,
            actor=acting_user(request),
        )
        return self._answer(changed)


class ActionFilter(django_filters.FilterSet):
    finding = IntegerFilter(field_name="finding_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = FindingAction
        fields = ["finding", "status", "overdue"]

    def filter_overdue(self, queryset: Any, name: str, value: bool | None) -> Any:
        from django.utils import timezone

        if value is None:
            return queryset
        overdue = selectors.overdue_actions(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


@_create_and_patch_schema(
    ACTION,
    FindingActionSerializer,
    create=(
        "Record an action promised on a finding (governor, occupancy administrator)",
        ActionInput,
    ),
    patch=(
        "Move an action: in progress, done (evidence and day) or not accepted (reason)",
        ActionPatchInput,
    ),
)
class FindingActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[FindingAction],
):
    """Actions promised on findings: owner, deadline and status. Done and not accepted are
    final."""

    serializer_class = FindingActionSerializer
    queryset = FindingAction.objects.order_by("deadline", "pk")
    filterset_class = ActionFilter
    ordering_fields = ["deadline"]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, row: FindingAction, code: int = 200) -> Response:
        fresh = FindingAction.objects.get(pk=row.pk)
        return with_etag(Response(FindingActionSerializer(fresh).data, status=code), fresh.version)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._answer(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = checked(request, ActionInput)
        finding = _row(Finding, data.pop("finding"), "finding")
        row = services.action_add(finding=finding.pk, **data, actor=acting_user(request))
        return self._answer(row, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = get_object_or_404(FindingAction, pk=kwargs["pk"])
        read = if_match(request, parse=version_number, thing=ACTION)
        data = checked(request, ActionPatchInput)
        moved = services.action_update(
            action=row.pk, **data, expected_version=read, actor=acting_user(request)
        )
        return self._answer(moved)
