"""The letters over the API: the pages' twins (transfers/letters/views.py).

A case's letters: GET lists every generation (newest first), POST makes one (201 with the new
version; 200 with the latest when nothing changed since it). A transport's letters: POST queues
the job (202), GET on the job follows its progress. The PDF itself is the case's document and is
listed, with its id, under /transfer-cases/{id}/documents/. Role rules: the route policy admits
caseworkers, the occupancy administrator and the auditor to read, caseworkers to write; the
services refuse other roles with 403.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.models import AccessLogEntry
from program.audit.services import access_log_record
from program.core.acting import acting_user
from program.core.api.inputs import checked
from program.core.api.query import refuse_unknown_parameters
from transfers.letters import selectors, services
from transfers.letters.data import Inputs
from transfers.letters.kinds import CASE_KINDS
from transfers.letters.models import Letter, LetterJob
from transfers.models import TransferCase, TransportBatch

_REFUSALS = {
    400: OpenApiResponse(description="Invalid input, named in the error."),
    403: OpenApiResponse(description="Your role may not make letters (caseworkers only)."),
    409: OpenApiResponse(
        description="The case is not in a state for this letter, its decision or appeal "
        "outcome is not recorded, or the programme has no Danish template."
    ),
}


class LetterSerializer(serializers.ModelSerializer[Letter]):
    document = serializers.IntegerField(source="document_id", read_only=True)
    document_kind = serializers.CharField(source="document.kind", read_only=True)
    document_version = serializers.IntegerField(source="document.version", read_only=True)
    generated_by = serializers.CharField(source="generated_by.get_username", read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "document",
            "document_kind",
            "document_version",
            "batch",
            "languages",
            "fell_back",
            "templates",
            "data",
            "generated_by",
            "generated_at",
        ]
        read_only_fields = fields


class LetterInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=[str(kind) for kind in CASE_KINDS])
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    reasons_translation = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, default=""
    )
    notify_on = serializers.DateField(required=False, allow_null=True, default=None)


class LetterJobSerializer(serializers.ModelSerializer[LetterJob]):
    started_by = serializers.CharField(source="started_by.get_username", read_only=True)

    class Meta:
        model = LetterJob
        fields = [
            "id",
            "batch",
            "state",
            "total",
            "done",
            "made",
            "percent",
            "error",
            "started_by",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CaseLettersView(APIView):
    @extend_schema(
        summary="The letters made for the case, newest first, with the data each was made from",
        description="Read: caseworker, occupancy administrator, auditor.",
        responses=LetterSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        refuse_unknown_parameters(request)
        case = get_object_or_404(TransferCase, pk=pk)
        access_log_record(
            request=request,
            action=AccessLogEntry.Action.VIEW,
            subject_type="inmate",
            subject_id=case.inmate_id,
            criterion={"transfer_case": case.pk, "part": "letters"},
        )
        return Response(LetterSerializer(selectors.case_letters(case), many=True).data)

    @extend_schema(
        summary="Make one of the case's letters (PDF) as a new version of its document",
        description="Write: caseworker only. Danish, plus the inmate's language where the "
        "programme has a template for it, else English (fell_back true). 201 with the new "
        "letter; 200 with the latest letter when nothing changed since it.",
        request=LetterInput,
        responses={201: LetterSerializer, 200: LetterSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(TransferCase, pk=pk)
        given = checked(request, LetterInput)
        values = given
        generated = services.letter_generate(
            case=case,
            kind=values["kind"],
            actor=acting_user(request),
            inputs=Inputs.from_values(values),
        )
        return Response(
            LetterSerializer(generated.letter).data,
            status=status.HTTP_201_CREATED if generated.created else status.HTTP_200_OK,
        )


class TransportLettersView(APIView):
    @extend_schema(
        summary="Queue the transport's manifest and letters (the worker makes them)",
        description="Write: caseworker only. While a job for this transport is queued or "
        "running, the same job is returned.",
        request=None,
        responses={202: LetterJobSerializer, **_REFUSALS},
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(TransportBatch, pk=pk)
        job = services.letter_job_start(batch=batch, actor=acting_user(request))
        return Response(LetterJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class LetterJobView(APIView):
    @extend_schema(summary="A transport letter job's progress", responses=LetterJobSerializer)
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(LetterJob.objects.select_related("started_by"), pk=pk)
        return Response(LetterJobSerializer(job).data)
