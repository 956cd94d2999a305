"""The programme report's API twin: the figures with their definitions, and the cases behind a
figure (for those who may read case files; each list access-logged like the page's)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.audit.listing import PERSON
from program.audit.services import access_log_list
from program.core.errors import NotFoundError
from transfers.report.figures import (
    FIGURES_BY_KEY,
    FIRST_WITH_CASES,
    NOT_RECORDED,
    ProgrammeReport,
    figure_cases,
    programme_report,
)
from transfers.report.selectors import report_choice

PARAMETERS = [
    OpenApiParameter(
        "programme", int, description="The agreement's id; the first signed when empty."
    ),
    OpenApiParameter(
        "period", str, description="A year (2026) or a quarter (2026-Q3); this year when empty."
    ),
]


def _value(value: Any) -> Any:
    # Decimals as strings (the project's money and measures never pass through floats).
    if value is None or isinstance(value, int):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()


def report_data(report: ProgrammeReport) -> dict[str, Any]:
    scope = report.scope
    return {
        "programme": {"id": scope.agreement.pk, "name": scope.agreement.name},
        "period": {
            "code": scope.period.code,
            "start": scope.start.isoformat(),
            "last_day": scope.period.last_day.isoformat(),
            "counted_to": scope.last_day.isoformat(),
            "complete": scope.complete,
        },
        "currency": report.currency,
        "figures": [
            {
                "key": result.figure.key,
                "title": str(result.figure.title),
                "definition": str(result.figure.definition),
                "has_cases": result.figure.events is not None,
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "value": _value(row.value),
                        "kind": row.kind,
                    }
                    for row in result.rows
                ],
            }
            for result in report.results
        ],
        "not_recorded": [
            {"title": str(item.title), "note": str(item.note)} for item in NOT_RECORDED
        ],
    }


class ProgrammeReportView(APIView):
    """The report's numbers: aggregates only, never a person."""

    @extend_schema(
        operation_id="programme_report",
        summary="The programme report for a year or a quarter",
        description="Transfers decided, carried out and refused; days to decision and to "
        "arrival; appeals; gate refusals; returns; removals; occupancy; cost per occupied "
        "place-day. Each figure carries its definition. Dated by the day things happened, so "
        "a past period's figures stay the same.",
        parameters=PARAMETERS,
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No such programme, or no such figure."),
        },
    )
    def get(self, request: Request) -> Response:
        choice = report_choice(request.query_params, today=timezone.localdate())
        return Response(report_data(programme_report(scope=choice.scope)))


class ProgrammeReportCasesView(APIView):
    """The cases behind one figure (a list of people: access-logged)."""

    @extend_schema(
        operation_id="programme_report_cases",
        summary="The cases behind a figure of the programme report",
        parameters=[
            *PARAMETERS,
            OpenApiParameter(
                "figure", str, description="The figure's key; the first with cases when empty."
            ),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No such programme, or no such figure."),
        },
    )
    def get(self, request: Request) -> Response:
        key = request.query_params.get("figure") or FIRST_WITH_CASES
        figure = FIGURES_BY_KEY.get(key)
        if figure is None or figure.events is None:
            choices = sorted(k for k, f in FIGURES_BY_KEY.items() if f.events is not None)
            raise NotFoundError(
                _("No such figure with cases behind it: choose one of %(keys)s.")
                % {"keys": ", ".join(choices)},
                details={"figure": choices},
            )
        choice = report_choice(request.query_params, today=timezone.localdate())
        lines = figure_cases(figure=figure, scope=choice.scope)
        access_log_list(
            request=request,
            subject_type=PERSON,
            subject_ids=[line.inmate_id for line in lines],
            criterion={
                "figure": figure.key,
                "programme": choice.scope.agreement.pk,
                "period": choice.scope.period.code,
            },
        )
        return Response(
            {
                "figure": figure.key,
                "period": choice.scope.period.code,
                "results": [
                    {
                        "case": line.case_id,
                        "inmate": line.inmate_id,
                        "name": line.name,
                        "case_number": line.case_number,
                        "day": line.day.isoformat(),
                        "detail": line.detail,
                    }
                    for line in lines
                ],
            }
        )
