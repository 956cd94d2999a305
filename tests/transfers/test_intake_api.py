"""The candidate intake over the API: dry run, import, problems, roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from program.inmates.csv_import import COLUMNS
from program.inmates.models import Inmate
from tests.transfers.test_intake import GOOD
from transfers.models import TransferCase

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidate-intakes/"
WITH_JUDGMENT = {
    **GOOD,
    "judgment_court": "Copenhagen City Court",
    "judgment_date": "2025-01-10",
    "judgment_final_on": "2025-01-30",
    "sentence_type": "fixed_term",
    "sentence_length_days": "1095",
    "remand_days": "0",
    "sentence_start": "2025-02-01",
    "expulsion_ordered_on": "2025-01-10",
    "expulsion_final": "yes",
    "entry_ban_years": "6",
}


def _file(*rows: dict[str, str]) -> SimpleUploadedFile:
    lines = [",".join(COLUMNS)] + [",".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return SimpleUploadedFile("candidates.csv", ("\n".join(lines) + "\n").encode())


def test_a_dry_run_says_what_would_happen_and_writes_nothing(caseworker) -> None:
    response = caseworker.post(URL, {"file": _file(WITH_JUDGMENT), "dry_run": "true"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "rows": 1,
        "cases_to_open": 1,
        "judgments": 1,
        "expulsion_orders": 1,
    }
    assert not Inmate.objects.exists()


def test_importing_opens_the_case_and_records_the_judgment(caseworker) -> None:
    response = caseworker.post(URL, {"file": _file(WITH_JUDGMENT)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "done"
    assert body["result"]["cases_opened"] == 1
    assert body["result"]["judgments_added"] == 1
    inmate = Inmate.objects.get(case_number=GOOD["case_number"])
    assert inmate.judgments.count() == 1
    assert inmate.expulsion_orders.count() == 1
    assert TransferCase.objects.filter(inmate=inmate).exists()
    assert caseworker.get(f"{URL}{body['job']}/").json()["state"] == "done"


def test_a_file_with_problems_is_refused_whole_naming_each(caseworker) -> None:
    bad = {**WITH_JUDGMENT, "sentence_length_days": "", "case_number": "KF-BAD"}
    response = caseworker.post(URL, {"file": _file(GOOD, bad)})
    assert response.status_code == 400
    problems = response.json()["error"]["details"]["problems"]
    assert problems == [
        {
            "row": 3,
            "column": "sentence_length_days",
            "message": "is empty; a fixed-term sentence needs its length in days.",
        }
    ]
    assert not Inmate.objects.exists()


def test_only_caseworkers_import(occupancy_admin, auditor) -> None:
    assert occupancy_admin.post(URL, {"file": _file(GOOD)}).status_code == 403
    assert auditor.post(URL, {"file": _file(GOOD)}).status_code == 403
