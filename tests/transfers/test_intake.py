"""Intake of a candidate file: CSV or XLSX, every bad row named, all or nothing, idempotent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from program.inmates.csv_import import COLUMNS
from program.inmates.models import Inmate
from program.inmates.models_import import ImportJob
from tests.transfers.factories import case_in
from tests.transfers.helpers import S
from transfers import intake
from transfers.models import CaseEvent, TransferCase

pytestmark = pytest.mark.django_db

GOOD = {
    "case_number": "KF-2026-50001",
    "name": "Stefan Petrovic",
    "date_of_birth": "1985-02-03",
    "sex": "M",
    "nationalities": "RS",
    "languages": "Serbian",
    "interpreter_needed": "yes",
    "country_of_return": "RS",
    "return_readmits": "yes",
    "return_readmits_reason": "Passport on file",
    "security_level": "low",
    "serious_mental_disorder": "no",
    "specialist_treatment": "no",
    "minor_children_visiting": "no",
    "home_institution": "Vestre Prison",
}


def _row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def _csv(*rows: dict[str, str]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _xlsx(*rows: dict[str, object]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "candidates.csv"):
    return client.post(reverse("transfers:intake"), {"file": SimpleUploadedFile(name, data)})


def _confirm(client, preview):
    assert preview.status_code == 200
    job = ImportJob.objects.get(state=ImportJob.State.PREVIEWED)
    return client.post(reverse("transfers:intake"), {"job": job.pk, "digest": job.digest})


def test_a_good_file_is_previewed_then_imported_with_a_case_each(caseworker, carla) -> None:
    data = _csv(_row(), _row(case_number="KF-2026-50002", name="Nikola Jovic"))
    preview = _upload(caseworker, data)
    assert "2 cases will be opened." in preview.content.decode()
    assert not Inmate.objects.filter(case_number__startswith="KF-2026-5").exists()
    response = _confirm(caseworker, preview)
    assert response.status_code == 302
    cases = TransferCase.objects.filter(inmate__case_number__startswith="KF-2026-5")
    assert cases.count() == 2
    assert {case.state for case in cases} == {S.IDENTIFIED}
    assert {case.caseworker for case in cases} == {carla}


def test_reimporting_the_same_file_changes_nothing(caseworker) -> None:
    data = _csv(_row())
    _confirm(caseworker, _upload(caseworker, data))
    counts = (Inmate.objects.count(), TransferCase.objects.count(), CaseEvent.objects.count())
    preview = _upload(caseworker, data)
    page = preview.content.decode()
    assert "0 cases will be opened." in page
    assert "none opened" in page
    _confirm(caseworker, preview)
    assert (
        Inmate.objects.count(),
        TransferCase.objects.count(),
        CaseEvent.objects.count(),
    ) == counts


def test_a_candidate_with_a_closed_case_gets_no_new_one(caseworker, carla) -> None:
    _confirm(caseworker, _upload(caseworker, _csv(_row())))
    TransferCase.objects.all().delete()
    closed = case_in(S.WITHDRAWN, caseworker=carla, inmate=Inmate.objects.get())
    _confirm(caseworker, _upload(caseworker, _csv(_row())))
    assert list(TransferCase.objects.all()) == [closed]


def test_every_bad_row_is_named_and_nothing_is_imported(caseworker) -> None:
    data = _csv(
        _row(),
        _row(case_number="KF-2026-50002", date_of_birth="03/02/1985"),
        _row(case_number="KF-2026-50003", nationalities="XX"),
        _row(case_number="KF-2026-50004", name="=HYPERLINK()"),
    )
    response = _upload(caseworker, data)
    page = response.content.decode()
    assert "3 rows are wrong" in page
    for expected in ("is not a date", "not a known country code", "run as a formula"):
        assert expected in page
    assert not ImportJob.objects.exists()
    assert not Inmate.objects.filter(case_number__startswith="KF-2026-5").exists()


def test_an_xlsx_file_is_read_like_a_csv_file(caseworker) -> None:
    from datetime import date

    row: dict[str, object] = {**_row(), "date_of_birth": date(1985, 2, 3)}
    preview = _upload(caseworker, _xlsx(row), "candidates.xlsx")
    assert "1 case will be opened." in preview.content.decode()
    _confirm(caseworker, preview)
    inmate = Inmate.objects.get(case_number="KF-2026-50001")
    assert inmate.date_of_birth == date(1985, 2, 3)
    assert inmate.transfer_cases.get().state == S.IDENTIFIED


def test_a_bad_xlsx_row_is_named_with_its_spreadsheet_row_number() -> None:
    parsed = intake.parse(
        _xlsx(_row(), _row(case_number="KF-2026-50002", sex="male")),
        known_countries={"RS"},
    )
    assert not parsed.ok
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "sex")]


def test_a_broken_workbook_is_refused_in_words() -> None:
    parsed = intake.parse(b"PK\x03\x04not really a zip", known_countries={"RS"})
    assert "not a readable XLSX workbook" in parsed.problems[0].message


@pytest.mark.parametrize("who", ["occupancy_admin", "auditor", "finance_officer"])
def test_only_caseworkers_import_candidates(who, persona) -> None:
    assert persona(who).get(reverse("transfers:intake")).status_code == 403
