"""The programme report's page, files, drill-down and API: who sees what, and what it costs."""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from program.audit.models import AccessLogEntry
from tests.transfers.report_data import History, build
from transfers.models import ReasonCode


@pytest.fixture
def history(carla: User) -> History:
    return build(carla)


def _url(name: str, history: History, **extra: str) -> str:
    params = {"programme": str(history.agreement.pk), "period": "2026", **extra}
    return reverse(name) + "?" + "&".join(f"{key}={value}" for key, value in params.items())


def test_the_page_shows_each_figure_with_its_definition_and_charts(caseworker, history):
    response = caseworker.get(_url("reports:programme", history))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("decided", "carried_out", "refused", "removals", "occupancy", "cost"):
        assert f'data-testid="figure-{key}"' in page
    assert "Definition:" in page
    assert "Cases moved to “decided: transfer”" in page or "decided: transfer" in page
    for chart in ("chart-cases", "chart-days", "chart-occupancy"):
        assert f'data-testid="{chart}"' in page
    # Incidents (program/incidents) and, since program/complaints records them, complaints
    # are counted figures.
    assert 'data-testid="figure-incidents"' in page
    assert 'data-testid="figure-complaints"' in page
    assert 'data-testid="cases-decided"' in page


def test_finance_sees_the_numbers_but_never_the_cases(finance_officer, history):
    response = finance_officer.get(_url("reports:programme", history))
    assert response.status_code == 200
    assert 'data-testid="cases-decided"' not in response.content.decode()
    drill = finance_officer.get(_url("reports:programme-cases", history, figure="decided"))
    assert drill.status_code == 403
    api = finance_officer.get(_url("api:programme-report-cases", history, figure="decided"))
    assert api.status_code == 403
    assert finance_officer.get(_url("api:programme-report", history)).status_code == 200


def test_a_user_without_a_role_is_refused(stranger, history):
    assert stranger.get(_url("reports:programme", history)).status_code == 403
    assert stranger.get(_url("api:programme-report", history)).status_code == 403


@pytest.mark.parametrize("persona", ["occupancy_admin", "auditor"])
def test_who_reads_case_files_may_drill_down(persona, request, history):
    client = request.getfixturevalue(persona)
    assert (
        client.get(_url("reports:programme-cases", history, figure="removals")).status_code == 200
    )


def test_the_cases_behind_a_figure_are_listed_and_access_logged(caseworker, history):
    response = caseworker.get(_url("reports:programme-cases", history, figure="removals"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report A" in page
    assert "Report F" in page
    assert "Report B" not in page
    entry = AccessLogEntry.objects.get(route="reports:programme-cases")
    assert sorted(entry.subject_ids) == sorted(
        str(history.cases[name].inmate_id) for name in ("A", "F")
    )
    assert entry.criterion["figure"] == "removals"


def test_an_unknown_figure_or_period_is_refused_with_what_to_give(caseworker, history):
    assert caseworker.get(_url("reports:programme-cases", history, figure="x")).status_code == 404
    response = caseworker.get(_url("reports:programme", history, period="2026-Q9"))
    assert response.status_code == 400
    assert "Give the period as a year (2026) or a quarter (2026-Q3)." in response.content.decode()
    not_a_number = caseworker.get(_url("api:programme-report", history, programme="x"))
    assert not_a_number.status_code == 400
    assert not_a_number.json()["error"]["details"] == {"programme": ["not a number"]}
    unknown = caseworker.get(_url("api:programme-report", history, programme="999999"))
    assert unknown.status_code == 404
    api = caseworker.get(_url("api:programme-report-cases", history, figure="occupancy"))
    assert api.status_code == 404
    assert "removals" in api.json()["error"]["message"]


def test_the_api_gives_every_figure_with_its_definition(caseworker, history):
    response = caseworker.get(_url("api:programme-report", history, period="2026-Q3"))
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {
        "code": "2026-Q3",
        "start": "2026-07-01",
        "last_day": "2026-09-30",
        "counted_to": "2026-09-30",
        "complete": True,
    }
    figures = {figure["key"]: figure for figure in body["figures"]}
    assert figures["removals"]["definition"]
    rows = {row["key"]: row["value"] for row in figures["removals"]["rows"]}
    assert rows["total"] == 2
    assert rows["max_days_late"] == 5
    assert figures["occupancy"]["has_cases"] is False
    assert [item["title"] for item in body["not_recorded"]] == []


def test_the_api_drill_down_lists_and_logs_the_cases(caseworker, history):
    response = caseworker.get(_url("api:programme-report-cases", history, figure="refused"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(row["case"], row["detail"]) for row in results] == [
        (history.cases["C"].pk, ReasonCode.objects.get(code="host_refused").label_en),
        (history.cases["D"].pk, "Appeal upheld"),
    ]
    entry = AccessLogEntry.objects.get(route="api:programme-report-cases")
    assert len(entry.subject_ids) == 2


def test_the_xlsx_file_holds_every_number_typed(caseworker, history):
    response = caseworker.get(_url("reports:programme-export", history, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'programme-report-{history.agreement.pk}-2026.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Figure", "Measure", "Value", "Unit", "Definition")
    decided = next(row for row in rows if row[0] == "Transfers decided")
    assert decided[2] == 5
    assert decided[4].startswith("Cases moved to")
    assert any(row[0] == "Incidents at the host facility" for row in rows)


def test_the_pdf_prints_the_figures_and_their_definitions(caseworker, history):
    response = caseworker.get(_url("reports:programme-export", history, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Report programme" in text
    assert "Transfers decided" in text
    assert "Removals on the release day or late" in text
    assert "Paid-but-empty place-days" in text
    # No person is named in the report.
    assert "Report A" not in text


def test_a_bad_file_format_is_refused(caseworker, history):
    response = caseworker.get(_url("reports:programme-export", history, format="docx"))
    assert response.status_code == 400
    assert "xlsx, csv, pdf" in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(caseworker, history, django_assert_num_queries):
    url = _url("reports:programme", history)
    caseworker.get(url)  # warm the session and role cache
    # 1 session, 2 user (with its roles and unread count), 3 the agreements (the choice and the
    # form), 4-14 one per figure on the timeline (eleven), 15 the occupancy, 16-18 the cost
    # (finance's pricing terms, occupied place-days, rent tranches), then the inspections and
    # findings, the complaints (one aggregate), the currency, the header's work-queue count and
    # the incidents (by kind and reviews overdue).
    with django_assert_num_queries(23):
        assert caseworker.get(url).status_code == 200


@pytest.mark.parametrize(("figure", "rows"), [("not_removable", 1), ("decided", 5)])
def test_the_drill_down_runs_a_fixed_number_of_queries(
    figure, rows, caseworker, history, django_assert_num_queries
):
    url = _url("reports:programme-cases", history, figure=figure)
    caseworker.get(url)
    # 1 session, 2 user (with its roles and unread count), 3 the agreements, 4 the cases behind
    # the figure with their inmates, 5 the access-log row naming them (with the bulk-read
    # count), 6 the header's work-queue count.
    with django_assert_num_queries(6):
        response = caseworker.get(url)
    assert response.status_code == 200
    assert len(response.context["lines"]) == rows
