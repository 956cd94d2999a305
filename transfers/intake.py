"""Reading a candidate file from the prison system: CSV or XLSX, every problem in every row.

The columns and the checks are the inmate registry's (program/inmates/csv_import.py): an XLSX
sheet is turned into the same text cells a CSV file gives, then read by the same parser, so both
formats are refused for the same reasons with the same row numbers (the header is row 1).
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from program.inmates import csv_import
from program.inmates.import_jobs import Progress

XLSX_MAGIC = b"PK\x03\x04"
INTAKE_TASK = "transfers.intake_job_run"
MAX_ROWS = 60_000


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_as_csv(data: bytes) -> bytes | csv_import.Problem:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula stays "=…" text, which the parser refuses by name.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return csv_import.Problem(
            None, "", _("The file is not a readable XLSX workbook (%(e)s).") % {"e": error}
        )
    sheet = workbook.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out)
    width = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            workbook.close()
            return csv_import.Problem(
                None, "", _("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS}
            )
        cells = [_cell_text(value) for value in row]
        if number == 1:
            while cells and cells[-1] == "":
                cells.pop()  # openpyxl pads rows to the sheet's widest one
            width = len(cells)
        elif not any(cells[width:]):
            # Empty cells right of the header are padding; a filled one is reported by the parser.
            cells = cells[:width] + [""] * (width - len(cells))
        writer.writerow(cells)
    workbook.close()
    return out.getvalue().encode("utf-8")


def parse(data: bytes, *, known_countries: set[str]) -> csv_import.ParsedFile:
    """Parse a CSV or an XLSX candidate file (told apart by content, not by name)."""
    if data.startswith(XLSX_MAGIC):
        if len(data) > csv_import.MAX_BYTES:
            return csv_import.ParsedFile(
                problems=[
                    csv_import.Problem(
                        None,
                        "",
                        _("The file is larger than %(mb)s MB; split it into smaller files.")
                        % {"mb": csv_import.MAX_BYTES // (1024 * 1024)},
                    )
                ]
            )
        converted = _xlsx_as_csv(data)
        if isinstance(converted, csv_import.Problem):
            return csv_import.ParsedFile(problems=[converted])
        data = converted
    return csv_import.parse(data, known_countries=known_countries)


def apply_intake(
    rows: Sequence[csv_import.InmateRow], actor: User, progress: Progress | None
) -> dict[str, int]:
    """The candidate intake (services.candidates_intake), as an import job's Apply."""
    from transfers import services

    return asdict(services.candidates_intake(rows=rows, actor=actor, progress=progress))
