"""The programme report's pages: the report, its files (XLSX, CSV, PDF) and the cases behind a
figure. Everyone who works in the programme reads the numbers; the cases behind them only those
who may read case files (never the finance roles), and each such list is access-logged."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from program.audit.listing import log_listed
from program.core import exports as table_export
from program.core.errors import ApplicationError
from program.core.policy import allows
from program.core.roles import user_roles
from transfers.report import present
from transfers.report.figures import (
    FIGURES_BY_KEY,
    FIRST_WITH_CASES,
    NOT_RECORDED,
    ProgrammeReport,
    figure_cases,
    programme_report,
)
from transfers.report.forms import ReportForm
from transfers.report.selectors import Choice, report_choice

CASES_ROUTE = "reports:programme-cases"
EXPORT_FORMATS = ("xlsx", "csv", "pdf")


def _choose(request: HttpRequest) -> tuple[Choice | None, str, int]:
    try:
        return report_choice(request.GET, today=timezone.localdate()), "", 200
    except ApplicationError as error:
        return None, error.message, error.http_status


def _query(choice: Choice) -> str:
    scope = choice.scope
    return f"programme={scope.agreement.pk}&period={scope.period.code}"


def _figures(report: ProgrammeReport) -> list[dict[str, Any]]:
    return [
        {
            "figure": result.figure,
            "rows": [
                {
                    "label": row.label,
                    "text": present.value_text(row, report.currency),
                    "unit": present.unit_text(row, report.currency),
                }
                for row in result.rows
            ],
            "drills": result.figure.events is not None,
        }
        for result in report.results
    ]


def programme(request: HttpRequest) -> HttpResponse:
    choice, error, status = _choose(request)
    report = programme_report(scope=choice.scope) if choice else None
    agreements = choice.agreements if choice else []
    form = ReportForm(
        {"programme": choice.scope.agreement.pk, "period": choice.scope.period.code}
        if choice
        else request.GET,
        agreements=agreements,
        today=timezone.localdate(),
    )
    return render(
        request,
        "reports/programme.html",
        {
            "form": form,
            "report": report,
            "scope": choice.scope if choice else None,
            "figures": _figures(report) if report else [],
            "charts": present.report_charts(report) if report else {},
            "not_recorded": NOT_RECORDED,
            "may_drill": allows(CASES_ROUTE, user_roles(request.user)),
            "query": _query(choice) if choice else "",
            "error": error,
        },
        status=status,
    )


def programme_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(
            _("Choose the file format: %(formats)s.") % {"formats": ", ".join(EXPORT_FORMATS)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    choice, error, status = _choose(request)
    if choice is None:
        return HttpResponse(error, status=status, content_type="text/plain; charset=utf-8")
    report = programme_report(scope=choice.scope)
    stem = f"programme-report-{choice.scope.agreement.pk}-{choice.scope.period.code}"
    if fmt == "pdf":
        return _pdf_response(request, report, stem)
    return table_export.table_response(
        fmt=fmt, stem=stem, headers=present.export_headers(), rows=present.export_rows(report)
    )


def report_pdf(report: ProgrammeReport) -> bytes:
    """The report as PDF (WeasyPrint, as the letters), in the active language."""
    from weasyprint import HTML  # imported on use: loading Pango takes a moment

    html = render_to_string(
        "reports/programme_pdf.html",
        {
            "report": report,
            "scope": report.scope,
            "figures": _figures(report),
            "charts": present.report_charts(report),
            "not_recorded": NOT_RECORDED,
            "made_at": timezone.localtime(),
        },
    )
    pdf = HTML(string=html).write_pdf()
    if pdf is None:  # only when given a target to write to, which we never give
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


def _pdf_response(request: HttpRequest, report: ProgrammeReport, stem: str) -> HttpResponse:
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def programme_cases(request: HttpRequest) -> HttpResponse:
    figure = FIGURES_BY_KEY.get(request.GET.get("figure") or FIRST_WITH_CASES)
    if figure is None or figure.events is None:
        raise Http404(_("No such figure with cases behind it."))
    choice, error, status = _choose(request)
    lines = figure_cases(figure=figure, scope=choice.scope) if choice else []
    if choice is not None:
        # A list of people: one access-log row naming everyone on it, with the figure asked.
        log_listed(
            request,
            lines,
            ("inmate_id",),
            criterion={
                "figure": figure.key,
                "programme": choice.scope.agreement.pk,
                "period": choice.scope.period.code,
            },
        )
    return render(
        request,
        "reports/programme_cases.html",
        {
            "figure": figure,
            "scope": choice.scope if choice else None,
            "lines": lines,
            "query": _query(choice) if choice else "",
            "error": error,
        },
        status=status,
    )
