"""The candidate intake over the API: the twin of the intake page (transfers/intake_flow.py).

One call with the file (multipart, field `file`, CSV or XLSX): with `dry_run=true` it checks the
file and answers what an import would do, writing nothing; without, it imports, following the
import job model the page uses: a small file at once (201 with the result), a large one by the
worker (202 with the job, whose progress is read at /api/v1/candidate-intakes/{job}/). A file
with problems is refused whole (400, every problem with its row and column). Caseworkers only.
"""

import hashlib
from typing import Any
from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.core.acting import acting_user
from program.core.api.inputs import checked
from program.core.api.parsers import MultiPartParser
from program.core.errors import ApplicationError
from program.inmates import csv_import, import_jobs
from program.inmates import selectors as inmates_selectors
from program.inmates.models_import import ImportJob
from transfers import intake as transfer_intake
from transfers import selectors

INTAKE_KIND = ImportJob.Kind.CANDIDATES
ROUTE = "api:candidate-intake-list"


class IntakeUpload(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The candidate file: CSV (UTF-8) or XLSX.")
    dry_run = serializers.BooleanField(
        default=False, help_text="Check and preview only; nothing is written."
    )


def _job_body(job: ImportJob) -> dict[str, Any]:
    return {
        "job": str(job.pk),
        "state": job.state,
        "total": job.total,
        "done": job.done,
        "result": job.result,
        "error": job.error,
    }


_JOB = inline_serializer(
    "IntakeJob",
    {
        "job": serializers.UUIDField(),
        "state": serializers.CharField(),
        "total": serializers.IntegerField(),
        "done": serializers.IntegerField(),
        "result": serializers.DictField(),
        "error": serializers.CharField(),
    },
)
_PREVIEW = inline_serializer(
    "IntakePreview",
    {
        "rows": serializers.IntegerField(),
        "cases_to_open": serializers.IntegerField(),
        "judgments": serializers.IntegerField(),
        "expulsion_orders": serializers.IntegerField(),
    },
)


def _problems(parsed: csv_import.ParsedFile) -> ApplicationError:
    return ApplicationError(
        "The file has problems; nothing was imported. Fix every row named and send it again.",
        details={
            "problems": [
                {"row": p.row, "column": p.column, "message": p.message} for p in parsed.problems
            ],
            "problem_total": parsed.problem_total,
            "by_column": dict(parsed.problem_counts),
        },
    )


class CandidateIntakeView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": IntakeUpload},
        responses={
            200: OpenApiResponse(_PREVIEW, description="dry_run: what an import would do."),
            201: OpenApiResponse(_JOB, description="Imported at once; the result counts."),
            202: OpenApiResponse(_JOB, description="Large file: the worker imports it."),
            400: OpenApiResponse(description="The file's problems, each with row and column."),
        },
    )
    def post(self, request: Request) -> Response:
        given = checked(request, IntakeUpload)
        actor = acting_user(request)
        data = given["file"].read()
        parsed = transfer_intake.parse(data, known_countries=inmates_selectors.country_codes())
        if not parsed.ok:
            raise _problems(parsed)
        if given["dry_run"]:
            plan = selectors.intake_plan(rows=parsed.rows)
            return Response(
                {
                    "rows": len(parsed.rows),
                    "cases_to_open": sum(1 for line in plan if line.opens_case),
                    "judgments": sum(len(row.judgments) for row in parsed.rows),
                    "expulsion_orders": sum(len(row.expulsion_orders) for row in parsed.rows),
                }
            )
        job = import_jobs.preview_store(
            kind=INTAKE_KIND,
            owner=actor,
            digest=hashlib.sha256(data).hexdigest(),
            rows=parsed.rows,
        )
        if job.total >= import_jobs.BACKGROUND_FROM_ROWS:
            import_jobs.job_queue(job=job, task=transfer_intake.INTAKE_TASK)
            job.refresh_from_db()
            return Response(_job_body(job), status=status.HTTP_202_ACCEPTED)
        job = import_jobs.run(
            job_id=job.pk, apply=transfer_intake.apply_intake, route=ROUTE, background=False
        )
        if job.state != ImportJob.State.DONE:
            raise ApplicationError(job.error or "Nothing was imported.")
        return Response(_job_body(job), status=status.HTTP_201_CREATED)


class CandidateIntakeJobView(APIView):
    @extend_schema(responses={200: _JOB})
    def get(self, request: Request, pk: str) -> Response:
        # Any text in the address (the route walk tries numbers): not a job id is not found.
        try:
            job_id = UUID(pk)
        except ValueError as error:
            raise Http404("There is no such import of yours, or it has expired.") from error
        job = import_jobs.job_for(kind=INTAKE_KIND, owner=acting_user(request), job_id=job_id)
        if job is None:
            raise Http404("There is no such import of yours, or it has expired.")
        return Response(_job_body(job))
