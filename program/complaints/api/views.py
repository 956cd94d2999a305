"""The complaints API, the twin of the pages: Danish staff list, read, register, amend (PATCH
with If-Match carrying the version as the ETag), answer and attach documents; the host
facility's staff list and record receipts at their own facility, with no field of what a
complaint says. Every read of a complaint is in the access log; lists name everyone on them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.audit.listing import AccessLoggedListMixin
from program.audit.services import access_log_record
from program.complaints import selectors, services
from program.complaints.api.serializers import (
    ComplaintAnswerInput,
    ComplaintCreateInput,
    ComplaintDocumentInput,
    ComplaintDocumentSerializer,
    ComplaintSerializer,
    ComplaintUpdateInput,
    ReceiptInput,
    ReceiptSerializer,
)
from program.complaints.models import Authority, Complaint, Kind
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

COMPLAINT = "complaint"


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[(key, key) for key in selectors.STATUS_FILTERS],
        label="open, answered, or overdue (open past its deadline)",
    )
    authority = django_filters.ModelChoiceFilter(
        queryset=Authority.objects.all(), label="The handling authority's id"
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    inmate = IntegerFilter(field_name="inmate_id", label="The inmate's id", min_value=1)

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_status(
        self, queryset: QuerySet[Complaint], name: str, value: str
    ) -> QuerySet[Complaint]:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(status=Complaint.Status.OPEN, deadline__lt=today)
        return queryset.filter(status=value)


class ComplaintViewSet(
    AccessLoggedListMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Complaint]
):
    """Complaints and requests. A PATCH and the answer need If-Match with the complaint's ETag
    (its version): 428 without, 412 when stale."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    listed_people = ("inmate_id",)
    ordering_fields = ["received_on", "deadline"]
    ordering = ["-received_on", "-id"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    # Ids are integers, as on every sibling: anything else is the router's 404, never a lookup.
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaint_queryset().prefetch_related("documents")

    def _respond(self, pk: int, http_status: int = status.HTTP_200_OK) -> Response:
        complaint = self.get_queryset().get(pk=pk)
        return with_etag(
            Response(ComplaintSerializer(complaint).data, status=http_status), complaint.version
        )

    @extend_schema(parameters=[etag_header(200)])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        complaint = self.get_object()
        access_log_record(
            request=request,
            action="view",
            subject_type="inmate",
            subject_id=complaint.inmate_id,
            criterion={"complaint": complaint.pk},
        )
        return with_etag(Response(ComplaintSerializer(complaint).data), complaint.version)

    @extend_schema(
        request=ComplaintCreateInput,
        responses={201: ComplaintSerializer},
        parameters=[etag_header(201)],
    )
    def create(self, request: Request) -> Response:
        given = checked(request, ComplaintCreateInput)
        complaint = services.complaint_register(actor=acting_user(request), **given)
        return self._respond(complaint.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ComplaintUpdateInput,
        responses={200: ComplaintSerializer, **precondition_responses(COMPLAINT)},
        parameters=[if_match_parameter(COMPLAINT), etag_header(200)],
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        complaint = self.get_object()
        read_version = if_match(request, parse=version_number, thing=COMPLAINT)
        given = checked(request, ComplaintUpdateInput, partial=True)
        services.complaint_update(
            complaint=complaint,
            actor=acting_user(request),
            version=read_version,
            **given,
        )
        return self._respond(complaint.pk)

    @extend_schema(
        summary="Record the answer and its date (open → answered, once)",
        request=ComplaintAnswerInput,
        responses={200: ComplaintSerializer, **precondition_responses(COMPLAINT)},
        parameters=[if_match_parameter(COMPLAINT), etag_header(200)],
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: int) -> Response:
        complaint = get_object_or_404(Complaint, pk=pk)
        read_version = if_match(request, parse=version_number, thing=COMPLAINT)
        given = checked(request, ComplaintAnswerInput)
        services.complaint_answer(
            complaint=complaint,
            actor=acting_user(request),
            version=read_version,
            **given,
        )
        return self._respond(complaint.pk)

    @extend_schema(
        summary="Attach the inmate's letter, the answer or another document (PDF, PNG or "
        "JPEG, at most 10 MB)",
        request={"multipart/form-data": ComplaintDocumentInput},
        responses={201: ComplaintDocumentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="documents", url_name="documents")
    def documents(self, request: Request, pk: int) -> Response:
        complaint = get_object_or_404(Complaint, pk=pk)
        given = checked(request, ComplaintDocumentInput)
        document = services.complaint_document_add(
            complaint=complaint, actor=acting_user(request), **given
        )
        return Response(ComplaintDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ReceiptViewSet(AccessLoggedListMixin, viewsets.GenericViewSet[Complaint]):
    """The host facility's staff: complaints received at their own facility (who, when, how,
    sealed or not), and recording a new receipt. Nothing of what a complaint says."""

    serializer_class = ReceiptSerializer
    listed_people = ("inmate_id",)
    ordering_fields = ["received_on"]
    ordering = ["-received_on", "-id"]

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.receipts_for(self.request.user)

    @extend_schema(request=ReceiptInput, responses={201: ReceiptSerializer})
    def create(self, request: Request) -> Response:
        given = checked(request, ReceiptInput)
        complaint = services.complaint_receipt_record(actor=acting_user(request), **given)
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(ReceiptSerializer(fresh).data, status=status.HTTP_201_CREATED)
