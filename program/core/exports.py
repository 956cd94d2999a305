"""Every CSV and XLSX download of the program, written one way.

- **Formulas.** A text cell that a spreadsheet would run as a formula (starting with =, +, -, @,
  or shifted into one by a tab or carriage return) is written with a leading apostrophe so that
  it stays text: references, reasons and names are typed by people and may come from the host's
  documents. Numbers and dates are never text, so they need no guard. An import refuses such a
  cell instead (`starts_like_formula`), since altering data silently would be worse.
- **Language.** With Danish chosen, a CSV file is what Danish Excel opens in columns: semicolons
  between cells, a decimal comma, and a UTF-8 byte-order mark (Excel reads a file without it in
  the Windows code page). English keeps commas and decimal points. Dates in CSV stay ISO
  (2026-12-03), which every spreadsheet reads as a date whatever its locale. A file for another
  system rather than a person (the transport manifest) uses the `INTERCHANGE` dialect whatever
  the language.
- **XLSX.** Numbers and dates are typed cells with a number or date format (dates as 03.12.2026
  with Danish chosen), each column as wide as its content, and a bold header row that stays in
  view while scrolling.

Column headers are whatever the caller passes: translated strings (gettext_lazy) render in the
language active for the request.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"

Cell = str | int | Decimal | float | date | datetime | None

# Excel's own format codes: the separators shown are the reader's, "#,##0.00" reads
# 3.750.000,00 in a Danish Excel and 3,750,000.00 in an English one.
AMOUNT_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
_MIN_WIDTH = 6
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str
    date_format: str  # XLSX only: CSV dates stay ISO
    datetime_format: str


ENGLISH = Dialect(",", ".", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss")
DANISH = Dialect(";", ",", "dd.mm.yyyy", "dd.mm.yyyy hh:mm:ss")
# For files read by another system: the same bytes whatever the user's language.
INTERCHANGE = ENGLISH


def dialect_for(language: str | None = None) -> Dialect:
    """The dialect of a language code, by default the one active for this request."""
    code = (language or translation.get_language() or "").lower()
    return DANISH if code == "da" or code.startswith("da-") else ENGLISH


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run this cell as a formula (leading spaces are skipped by some
    spreadsheets, so they do not hide the first character)."""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Cell:
    """A cell value that a spreadsheet shows as written: text that looks like a formula gets a
    leading apostrophe; numbers and dates stay typed; anything else becomes its text."""
    if isinstance(value, str):
        return f"'{value}" if starts_like_formula(value) else value
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: an aware time is written in UTC (headers say so).
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, int | Decimal | float | date):
        return value
    return neutralise(str(value))


def _csv_text(value: Cell, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value).replace(".", dialect.decimal)
    return str(value)


def csv_bytes(*, headers: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: Dialect) -> bytes:
    """The table as a CSV file (with the byte-order mark), every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([_csv_text(neutralise(str(name)), dialect) for name in headers])
    for row in rows:
        writer.writerow([_csv_text(neutralise(value), dialect) for value in row])
    return out.getvalue().encode("utf-8")


def _width(value: Cell, dialect: Dialect) -> int:
    if isinstance(value, datetime):
        return len(dialect.datetime_format)
    if isinstance(value, date):
        return len(dialect.date_format)
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def xlsx_bytes(
    *, headers: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: Dialect, title: str
) -> bytes:
    """The table as an XLSX workbook of one sheet: typed, formatted cells, a bold frozen header
    row and columns as wide as their content."""
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(title=title[:31])
    header = [neutralise(str(name)) for name in headers]
    sheet.append(header)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    widths = [_width(value, dialect) for value in header]
    for row in rows:
        values = [neutralise(value) for value in row]
        sheet.append(values)
        for index, (value, cell) in enumerate(zip(values, sheet[sheet.max_row], strict=True)):
            if isinstance(value, datetime):
                cell.number_format = dialect.datetime_format
            elif isinstance(value, date):
                cell.number_format = dialect.date_format
            elif isinstance(value, Decimal | float):
                cell.number_format = AMOUNT_FORMAT
            elif isinstance(value, int):
                cell.number_format = INTEGER_FORMAT
            if index >= len(widths):
                widths.append(0)
            widths[index] = max(widths[index], _width(value, dialect))
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_response(
    *,
    fmt: str,
    stem: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    dialect: Dialect | None = None,
) -> HttpResponse:
    """A file download of one table, never cached; `stem` names the file and must carry no
    personal data. The dialect follows the request's language unless given."""
    chosen = dialect or dialect_for()
    if fmt == "xlsx":
        body = xlsx_bytes(headers=headers, rows=rows, dialect=chosen, title=stem)
        response = HttpResponse(body, content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(
            csv_bytes(headers=headers, rows=rows, dialect=chosen), content_type=CSV_TYPE
        )
    else:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
