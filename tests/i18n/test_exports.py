"""Exports in the reader's language: Danish CSV opens in columns in Danish Excel (semicolons,
decimal comma, byte-order mark), XLSX cells are typed and formatted, headers are translated."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from finance import services
from finance.models import Tranche
from program.core import exports
from tests.factories import FacilityFactory, PlaceFactory
from tests.finance.helpers import due, first_rent, scheduled, user
from tests.i18n.pseudo import PSEUDO

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil","x")'


def _in(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _csv(response, delimiter: str) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


def _disputed_with_a_formula() -> Tranche:
    tranche = due(first_rent(scheduled()))
    return services.tranche_dispute(tranche=tranche, reason=FORMULA, actor=user("frida"))


def test_the_danish_schedule_csv_opens_in_columns_with_decimal_commas(auditor) -> None:
    _disputed_with_a_formula()
    response = _in(auditor, "da").get(
        reverse("finance:schedule-export"), {"format": "csv", "stream": "rent"}
    )
    assert response.status_code == 200
    rows = _csv(response, ";")
    assert len(rows) == 1 + 40
    assert {len(row) for row in rows} == {16}  # every row in the same 16 columns
    disputed = next(row for row in rows if row[15].startswith("'="))
    assert disputed[15] == "'" + FORMULA  # the formula guard holds in Danish too
    assert disputed[7] == "3750000,00"
    assert disputed[4].count("-") == 2  # ISO dates: read as dates by every spreadsheet


def test_the_english_schedule_csv_keeps_commas_and_decimal_points(auditor) -> None:
    scheduled()
    response = _in(auditor, "en").get(
        reverse("finance:schedule-export"), {"format": "csv", "stream": "rent"}
    )
    rows = _csv(response, ",")
    assert {len(row) for row in rows} == {16}
    assert rows[1][7] == "3750000.00"
    assert b";" not in response.content


def test_the_xlsx_has_typed_formatted_cells_widths_and_a_bold_frozen_header(auditor) -> None:
    _disputed_with_a_formula()
    response = _in(auditor, "da").get(reverse("finance:schedule-export"), {"format": "xlsx"})
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    first = sheet[2]
    amount, due_on, tranche_id = first[7], first[6], first[0]
    assert amount.data_type == "n"
    assert isinstance(amount.value, int | float)
    assert amount.value > 0
    assert amount.number_format == exports.AMOUNT_FORMAT
    assert isinstance(due_on.value, datetime)
    assert due_on.number_format == "dd.mm.yyyy"  # Danish chosen: 03.12.2026
    assert tranche_id.data_type == "n"
    assert tranche_id.number_format == exports.INTEGER_FORMAT
    disputed = next(row for row in sheet.iter_rows() if str(row[15].value).startswith("'"))
    assert disputed[15].value == "'" + FORMULA
    assert disputed[15].data_type == "s"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "BEHP"}
    assert all(width and width >= 8 for width in widths.values()), widths
    assert widths["P"] > widths["E"]  # the reason column is wider than a date


def test_english_xlsx_dates_are_iso_formatted(auditor) -> None:
    scheduled()
    response = _in(auditor, "en").get(reverse("finance:schedule-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet[2][6].number_format == "yyyy-mm-dd"


def test_export_headers_are_translated(auditor, pseudo_locale) -> None:
    scheduled()
    response = _in(auditor, PSEUDO).get(
        reverse("finance:schedule-export"), {"format": "csv", "stream": "rent"}
    )
    header = _csv(response, ",")[0]
    assert header[0] == "⟦Id⟧"
    assert all(name.startswith("⟦") and name.endswith("⟧") for name in header), header


def test_the_danish_roll_csv_opens_in_columns(occupancy_admin) -> None:
    PlaceFactory(cell__unit__facility=FacilityFactory())
    response = _in(occupancy_admin, "da").get(reverse("cells:roll-csv"), {"date": "2026-01-01"})
    assert response.status_code == 200
    rows = _csv(response, ";")
    assert len(rows) == 2
    assert {len(row) for row in rows} == {8}


def test_the_csv_writer_guards_formulas_and_writes_each_dialect() -> None:
    headers = ["Name", "Amount", "Day"]
    rows = [[" =1+1", Decimal("-12.50"), date(2026, 12, 3)], ["Ole", 7, None]]
    danish = exports.csv_bytes(headers=headers, rows=rows, dialect=exports.DANISH)
    assert danish.startswith(b"\xef\xbb\xbf")
    assert danish.decode("utf-8-sig").splitlines() == [
        "Name;Amount;Day",
        "' =1+1;-12,50;2026-12-03",
        "Ole;7;",
    ]
    english = exports.csv_bytes(headers=headers, rows=rows, dialect=exports.ENGLISH)
    assert english.decode("utf-8-sig").splitlines()[1] == "' =1+1,-12.50,2026-12-03"
    assert exports.starts_like_formula("  @SUM(A1)")
    assert not exports.starts_like_formula("INV-1")


def test_the_transport_manifest_is_the_same_file_in_every_language() -> None:
    assert exports.INTERCHANGE.delimiter == ","
    assert exports.dialect_for("da") is exports.DANISH
    assert exports.dialect_for("en") is exports.ENGLISH
    assert exports.dialect_for(PSEUDO) is exports.ENGLISH
