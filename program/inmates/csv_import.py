"""Reading an inmate CSV file: every problem in every row, so a file is fixed in one go.

Parsing is pure: it takes the bytes and the known country codes and returns typed rows and a list
of problems, each with its row number (the header is row 1, as in a spreadsheet). Nothing here
writes; services.inmates_import_csv imports the rows once the file has no problem at all.
"""

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from program.inmates.models import INMATE_EDITABLE_FIELDS, Country, Inmate

MAX_BYTES = 2 * 1024 * 1024
COLUMNS = INMATE_EDITABLE_FIELDS
# A cell starting with one of these is run as a formula when the file is opened in a spreadsheet
# (CSV injection); such cells are refused rather than silently altered.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"yes", "y", "true", "1", "ja", "j", "x"}
_FALSE = {"no", "n", "false", "0", "nej", ""}
_BOOLEAN_COLUMNS = (
    "interpreter_needed",
    "serious_mental_disorder",
    "specialist_treatment",
    "minor_children_visiting",
)
_MAX_LENGTHS = {"case_number": 30, "name": 200, "home_institution": 200}
_LANGUAGE_MAX = 50


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass(frozen=True)
class InmateRow:
    row: int
    case_number: str
    name: str
    date_of_birth: date
    sex: str
    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    interpreter_needed: bool
    country_of_return: str | None
    return_readmits: str
    security_level: str
    serious_mental_disorder: bool
    specialist_treatment: bool
    minor_children_visiting: bool
    home_institution: str

    def country_codes(self) -> set[str]:
        codes = set(self.nationalities)
        if self.country_of_return:
            codes.add(self.country_of_return)
        return codes

    def _plain_values(self) -> dict[str, Any]:
        return {
            "case_number": self.case_number,
            "name": self.name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "languages": list(self.languages),
            "interpreter_needed": self.interpreter_needed,
            "return_readmits": self.return_readmits,
            "security_level": self.security_level,
            "serious_mental_disorder": self.serious_mental_disorder,
            "specialist_treatment": self.specialist_treatment,
            "minor_children_visiting": self.minor_children_visiting,
            "home_institution": self.home_institution,
        }

    def model_values(self, countries: Mapping[str, Country]) -> dict[str, Any]:
        """The values for the inmate services, with countries as rows."""
        return {
            **self._plain_values(),
            "nationalities": [countries[code] for code in self.nationalities],
            "country_of_return": (
                countries[self.country_of_return] if self.country_of_return else None
            ),
        }

    def differs_from(self, inmate: Inmate) -> bool:
        """Whether importing this row would change the inmate (nationalities prefetched)."""
        if any(getattr(inmate, k) != v for k, v in self._plain_values().items()):
            return True
        if inmate.country_of_return_id != self.country_of_return:
            return True
        return {c.code for c in inmate.nationalities.all()} != set(self.nationalities)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat()
        data["nationalities"] = list(self.nationalities)
        data["languages"] = list(self.languages)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "InmateRow":
        return cls(
            **{
                **data,
                "date_of_birth": date.fromisoformat(data["date_of_birth"]),
                "nationalities": tuple(data["nationalities"]),
                "languages": tuple(data["languages"]),
            }
        )


@dataclass
class ParsedFile:
    rows: list[InmateRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


class _RowReader:
    """Turns one record's cells into values, collecting a problem for each bad cell."""

    def __init__(
        self,
        row: int,
        cells: dict[str, str],
        known_countries: Collection[str],
        *,
        refused: Collection[str] = (),
    ) -> None:
        self.row = row
        self.cells = cells
        self.known = known_countries
        self.refused = refused  # formula cells: already reported, not read further
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        if column not in self.refused:
            self.problems.append(Problem(self.row, column, message))

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.cells[column]
        if required and not value:
            self.problem(column, _("is empty; it is required."))
        limit = _MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            self.problem(
                column,
                _("is %(n)s characters long; at most %(max)s are allowed.")
                % {"n": len(value), "max": limit},
            )
        return value

    def date(self, column: str) -> date | None:
        value = self.cells[column]
        if not value:
            self.problem(column, _("is empty; give a date as YYYY-MM-DD."))
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.problem(column, _("“%(value)s” is not a date; use YYYY-MM-DD.") % {"value": value})
            return None
        if len(value) != len("YYYY-MM-DD"):
            self.problem(column, _("use the form YYYY-MM-DD."))
            return None
        if parsed > timezone.localdate():
            self.problem(column, _("%(value)s is in the future.") % {"value": value})
        return parsed

    def choice(
        self, column: str, choices: list[tuple[str, Any]], *, default: str | None = None
    ) -> str:
        value = self.cells[column]
        if not value and default is not None:
            return default
        by_value = {str(v).lower(): str(v) for v, _label in choices}
        if value.lower() in by_value:
            return by_value[value.lower()]
        allowed = ", ".join(str(v) for v, _label in choices)
        if not value:
            self.problem(column, _("is empty; use one of: %(allowed)s.") % {"allowed": allowed})
        else:
            self.problem(
                column,
                _("“%(value)s” is not allowed; use one of: %(allowed)s.")
                % {"value": value, "allowed": allowed},
            )
        return ""

    def boolean(self, column: str) -> bool:
        value = self.cells[column].lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.problem(
                column,
                _("“%(value)s” is not yes or no.") % {"value": self.cells[column]},
            )
        return False

    def country(self, column: str, given: str) -> str | None:
        """The ISO code for a cell's country (any case), or None after noting the problem."""
        code = given.upper()
        if len(code) != 2 or not code.isalpha():
            self.problem(
                column,
                _("“%(code)s” is not a two-letter ISO country code.") % {"code": given},
            )
            return None
        if code not in self.known:
            self.problem(column, _("“%(code)s” is not a known country code.") % {"code": given})
            return None
        return code

    def nationalities(self) -> tuple[str, ...]:
        given = _split(self.cells["nationalities"])
        if not given:
            self.problem("nationalities", _("is empty; give at least one ISO country code."))
        codes: list[str] = []
        for item in given:
            code = self.country("nationalities", item)
            if code and code not in codes:
                codes.append(code)
        return tuple(codes)

    def languages(self) -> tuple[str, ...]:
        languages = _split(self.cells["languages"])
        for language in languages:
            if len(language) > _LANGUAGE_MAX:
                self.problem(
                    "languages",
                    _("“%(value)s” is longer than %(max)s characters.")
                    % {"value": language[:20] + "…", "max": _LANGUAGE_MAX},
                )
        return tuple(languages)

    def country_of_return(self) -> str | None:
        given = self.cells["country_of_return"]
        return self.country("country_of_return", given) if given else None


def _split(value: str) -> list[str]:
    seen: list[str] = []
    for part in value.split(";"):
        item = part.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def _decode(data: bytes) -> str | Problem:
    """The file's text, or the problem that stops it being read."""
    if len(data) > MAX_BYTES:
        return Problem(None, "", _("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as error:
        return Problem(
            None,
            "",
            _(
                "The file is not UTF-8 text (byte %(position)s). Save it as “CSV UTF-8” and "
                "upload it again."
            )
            % {"position": error.start + 1},
        )
    if "\x00" in text:
        return Problem(None, "", _("The file is not a text CSV file."))
    return text


def _check_header(header: list[str]) -> list[Problem]:
    names = [name.strip().lower() for name in header]
    if len(names) == 1 and ";" in names[0]:
        return [
            Problem(
                1,
                "",
                _("The columns are separated by semicolons; save the file with commas instead."),
            )
        ]
    problems = []
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        problems.append(
            Problem(1, "", _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
        )
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        problems.append(
            Problem(1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(
            Problem(
                1, "", _("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)}
            )
        )
    return problems


def parse(data: bytes, *, known_countries: Collection[str]) -> ParsedFile:
    """Read the whole file and report every problem; rows are returned only for good records."""
    result = ParsedFile()
    text = _decode(data)
    if isinstance(text, Problem):
        result.problems.append(text)
        return result
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        result.problems.append(
            Problem(None, "", _("The file is not valid CSV: %(error)s.") % {"error": error})
        )
        return result
    if not records or not any(cell.strip() for cell in records[0]):
        result.problems.append(Problem(1, "", _("The first row must name the columns.")))
        return result
    header = [name.strip().lower() for name in records[0]]
    result.problems.extend(_check_header(records[0]))
    if result.problems:
        return result
    first_row_of: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != len(header):
            result.problems.append(
                Problem(
                    number,
                    "",
                    _("has %(n)s cells; the header has %(m)s.")
                    % {"n": len(record), "m": len(header)},
                )
            )
            continue
        row = _read_row(number, dict(zip(header, record, strict=True)), known_countries)
        if isinstance(row, list):
            result.problems.extend(row)
            continue
        first = first_row_of.setdefault(row.case_number, number)
        if first != number:
            result.problems.append(
                Problem(
                    number,
                    "case_number",
                    _("%(case)s is also on row %(first)s.")
                    % {"case": row.case_number, "first": first},
                )
            )
            continue
        result.rows.append(row)
    if not result.rows and not result.problems:
        result.problems.append(Problem(None, "", _("The file has no rows to import.")))
    return result


def _read_row(
    number: int, raw: dict[str, str], known_countries: Collection[str]
) -> InmateRow | list[Problem]:
    refused = {
        column for column, value in raw.items() if value.lstrip(" ").startswith(FORMULA_PREFIXES)
    }
    cells = {k: ("" if k in refused else v.strip()) for k, v in raw.items()}
    reader = _RowReader(number, cells, known_countries, refused=refused)
    for column in COLUMNS:
        if column in refused:
            char = raw[column].lstrip(" ")[0]
            reader.problems.append(
                Problem(
                    number,
                    column,
                    _(
                        "starts with “%(char)s”, which a spreadsheet would run as a formula; "
                        "remove that character."
                    )
                    % {"char": {"\t": "TAB", "\r": "CR"}.get(char, char)},
                )
            )
    case_number = reader.text("case_number")
    name = reader.text("name")
    date_of_birth = reader.date("date_of_birth")
    sex = reader.choice("sex", Inmate.Sex.choices)
    nationalities = reader.nationalities()
    languages = reader.languages()
    flags = {column: reader.boolean(column) for column in _BOOLEAN_COLUMNS}
    country_of_return = reader.country_of_return()
    return_readmits = reader.choice(
        "return_readmits", Inmate.Readmission.choices, default=Inmate.Readmission.UNKNOWN
    )
    security_level = reader.choice("security_level", Inmate.SecurityLevel.choices)
    home_institution = reader.text("home_institution")
    if reader.problems or date_of_birth is None:
        return reader.problems
    return InmateRow(
        row=number,
        case_number=case_number,
        name=name,
        date_of_birth=date_of_birth,
        sex=sex,
        nationalities=nationalities,
        languages=languages,
        country_of_return=country_of_return,
        return_readmits=return_readmits,
        security_level=security_level,
        home_institution=home_institution,
        **flags,
    )
