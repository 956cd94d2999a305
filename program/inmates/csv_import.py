"""Reading an inmate CSV file: every problem in every row, so a file is fixed in one go.

Parsing is pure: it takes the bytes and the known country codes and returns typed rows and the
problems, each with its row number (the header is row 1, as in a spreadsheet). Every problem is
counted, by column; the first MAX_LISTED_PROBLEMS are kept with their row numbers, so a file of
50,000 bad rows gives a page of 100 problems and a count per column, not 400,000 lines. Nothing
here writes; services.inmates_import_csv imports the rows once the file has no problem at all.
"""

import csv
import io
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from typing import Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.exports import starts_like_formula
from program.inmates.models import (
    INMATE_EDITABLE_FIELDS,
    Country,
    Inmate,
    Judgment,
)
from program.inmates.reference import OFFENCES

# A file of 50,000 rows is about 8 MB.
MAX_BYTES = 12 * 1024 * 1024
MAX_LISTED_PROBLEMS = 100
# Every file has the person's columns; the reason for a readmission override, one judgment and
# one expulsion order are optional columns (a row that fills none of a group has none of it).
# A person with several judgments is given on several rows with the same case number and the
# same person columns, each row with its own judgment or order.
REQUIRED_COLUMNS = tuple(f for f in INMATE_EDITABLE_FIELDS if f != "return_readmits_reason")
JUDGMENT_COLUMNS = (
    "judgment_court",
    "judgment_date",
    "judgment_final_on",
    "sentence_type",
    "sentence_length_days",
    "remand_days",
    "sentence_start",
    "sentence_runs",
    "offences",
)
EXPULSION_COLUMNS = (
    "expulsion_ordered_on",
    "expulsion_final",
    "entry_ban_years",
    "entry_ban_permanent",
    "expulsion_revoked_on",
)
OPTIONAL_COLUMNS = ("return_readmits_reason", *JUDGMENT_COLUMNS, *EXPULSION_COLUMNS)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
_TRUE = {"yes", "y", "true", "1", "ja", "j", "x"}
_FALSE = {"no", "n", "false", "0", "nej", ""}
_BOOLEAN_COLUMNS = (
    "interpreter_needed",
    "serious_mental_disorder",
    "specialist_treatment",
    "minor_children_visiting",
)
_MAX_LENGTHS = {
    "case_number": 30,
    "name": 200,
    "home_institution": 200,
    "judgment_court": 200,
    "return_readmits_reason": 2000,
}
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
    return_readmits_reason: str = ""
    # Each a dict of JSON values (dates as YYYY-MM-DD), as the services and import jobs take them.
    judgments: tuple[dict[str, Any], ...] = ()
    expulsion_orders: tuple[dict[str, Any], ...] = ()

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
            "return_readmits_reason": self.return_readmits_reason,
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
        # Not dataclasses.asdict, which deep-copies every value: 50,000 rows took ~8 s with it.
        data = {name: getattr(self, name) for name in ROW_FIELDS}
        data["date_of_birth"] = self.date_of_birth.isoformat()
        data["nationalities"] = list(self.nationalities)
        data["languages"] = list(self.languages)
        data["judgments"] = list(self.judgments)
        data["expulsion_orders"] = list(self.expulsion_orders)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "InmateRow":
        return cls(
            **{
                **data,
                "date_of_birth": date.fromisoformat(data["date_of_birth"]),
                "nationalities": tuple(data["nationalities"]),
                "languages": tuple(data["languages"]),
                "judgments": tuple(data.get("judgments", ())),
                "expulsion_orders": tuple(data.get("expulsion_orders", ())),
            }
        )

    def same_person(self, other: "InmateRow") -> bool:
        return (
            self._plain_values() == other._plain_values()
            and self.nationalities == other.nationalities
            and self.country_of_return == other.country_of_return
        )


# The row's fields in order: import_jobs stores a row as the list of their values.
ROW_FIELDS = tuple(item.name for item in fields(InmateRow))


@dataclass
class ParsedFile:
    rows: list[InmateRow] = field(default_factory=list)
    # The first MAX_LISTED_PROBLEMS problems, in file order; add() counts every one.
    problems: list[Problem] = field(default_factory=list)
    # Every problem by column ("" for a whole row or the file), listed or not.
    problem_counts: Counter[str] = field(default_factory=Counter)
    rows_with_problems: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        given, self.problems = self.problems, []
        self.add(given)

    def add(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if len(self.problems) < MAX_LISTED_PROBLEMS:
                self.problems.append(problem)
            self.problem_counts[problem.column] += 1
            if problem.row is not None:
                self.rows_with_problems.add(problem.row)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def bad_rows(self) -> int:
        return len(self.rows_with_problems)

    @property
    def problem_total(self) -> int:
        return sum(self.problem_counts.values())

    @property
    def unlisted(self) -> int:
        return self.problem_total - len(self.problems)

    @property
    def unlisted_by_column(self) -> list[tuple[str, int]]:
        """The problems beyond the listed ones, counted by column, most first."""
        rest = self.problem_counts - Counter(problem.column for problem in self.problems)
        return sorted(rest.items(), key=lambda item: (-item[1], item[0]))


class _RowReader:
    """Turns one record's cells into values, collecting a problem for each bad cell."""

    def __init__(
        self,
        row: int,
        cells: dict[str, str],
        known_countries: Collection[str],
        *,
        refused: Collection[str] = (),
        today: date | None = None,
    ) -> None:
        self.row = row
        self.cells = cells
        self.known = known_countries
        self.today = today or timezone.localdate()
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

    def date(self, column: str, *, future: bool = False, required: bool = True) -> date | None:
        value = self.cells[column]
        if not value:
            if required:
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
        if parsed > self.today and not future:
            self.problem(column, _("%(value)s is in the future.") % {"value": value})
        return parsed

    def whole_number(self, column: str) -> int | None:
        value = self.cells[column]
        if not value:
            return None
        if not value.isascii() or not value.isdigit():
            self.problem(
                column, _("“%(value)s” is not a whole number of 0 or more.") % {"value": value}
            )
            return None
        return int(value)

    def judgment(self) -> dict[str, Any] | None:
        """The row's judgment, checked as the database checks one, or None when the row gives
        none (every judgment column empty)."""
        if not any(self.cells[column] for column in JUDGMENT_COLUMNS):
            return None
        court = self.text("judgment_court")
        judged = self.date("judgment_date")
        final_on = self.date("judgment_final_on", required=False)
        kind = self.choice("sentence_type", Judgment.SentenceType)
        length = self.whole_number("sentence_length_days")
        remand = self.whole_number("remand_days") or 0
        start = self.date("sentence_start", future=True)
        runs = self.choice("sentence_runs", Judgment.Runs, default=Judgment.Runs.CONSECUTIVE)
        offences = _split(self.cells["offences"])
        known = {code for code, *_rest in OFFENCES}
        for code in offences:
            if code not in known:
                self.problem(
                    "offences",
                    _("“%(code)s” is not an offence group; use: %(known)s.")
                    % {"code": code, "known": ", ".join(sorted(known))},
                )
        if kind == Judgment.SentenceType.FIXED_TERM and not length:
            self.problem(
                "sentence_length_days",
                _("is empty; a fixed-term sentence needs its length in days."),
            )
        if kind and kind != Judgment.SentenceType.FIXED_TERM and length is not None:
            self.problem(
                "sentence_length_days", _("must be empty for forvaring and life sentences.")
            )
        if length and remand >= length:
            self.problem("remand_days", _("must be less than the sentence's length."))
        if judged and final_on and final_on < judged:
            self.problem(
                "judgment_final_on", _("is before the judgment date; a judgment is final after.")
            )
        return {
            "court": court,
            "judgment_date": judged.isoformat() if judged else None,
            "final_on": final_on.isoformat() if final_on else None,
            "sentence_type": kind,
            "length_days": length,
            "remand_days": remand,
            "sentence_start": start.isoformat() if start else None,
            "runs": runs,
            "offences": offences,
        }

    def expulsion_order(self) -> dict[str, Any] | None:
        """The row's expulsion order, or None when the row gives none."""
        if not any(self.cells[column] for column in EXPULSION_COLUMNS):
            return None
        ordered = self.date("expulsion_ordered_on")
        final = self.boolean("expulsion_final")
        years = self.whole_number("entry_ban_years")
        permanent = self.boolean("entry_ban_permanent")
        # A revocation may be dated ahead: it counts from that day (rule E5).
        revoked = self.date("expulsion_revoked_on", future=True, required=False)
        if permanent and years is not None:
            self.problem("entry_ban_years", _("must be empty when the entry ban is permanent."))
        if ordered and revoked and revoked < ordered:
            self.problem("expulsion_revoked_on", _("is before the order was made."))
        return {
            "ordered_on": ordered.isoformat() if ordered else None,
            "final": final,
            "entry_ban_years": years,
            "entry_ban_permanent": permanent,
            "revoked_on": revoked.isoformat() if revoked else None,
        }

    def choice(self, column: str, choices: type[Choices], *, default: str | None = None) -> str:
        value = self.cells[column]
        if not value and default is not None:
            return default
        by_value = _choice_values(choices)
        if value.lower() in by_value:
            return by_value[value.lower()]
        allowed = ", ".join(by_value.values())
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


@cache
def _choice_values(choices: type[Choices]) -> dict[str, str]:
    # Once per kind of choice, not once per cell: a 50,000-row file reads 150,000 of them.
    return {str(value).lower(): str(value) for value in choices.values}


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
        return Problem(
            None,
            "",
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)},
        )
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
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
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
        result.add([text])
        return result
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        result.add(
            [Problem(None, "", _("The file is not valid CSV: %(error)s.") % {"error": error})]
        )
        return result
    if not records or not any(cell.strip() for cell in records[0]):
        result.add([Problem(1, "", _("The first row must name the columns."))])
        return result
    header = [name.strip().lower() for name in records[0]]
    result.add(_check_header(records[0]))
    if result.problems:
        return result
    first_row_of: dict[str, int] = {}
    index_of: dict[str, int] = {}
    today = timezone.localdate()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != len(header):
            result.add(
                [
                    Problem(
                        number,
                        "",
                        _("has %(n)s cells; the header has %(m)s.")
                        % {"n": len(record), "m": len(header)},
                    )
                ]
            )
            continue
        row = _read_row(number, dict(zip(header, record, strict=True)), known_countries, today)
        if isinstance(row, list):
            result.add(row)
            continue
        first = first_row_of.setdefault(row.case_number, number)
        if first != number and (row.judgments or row.expulsion_orders):
            # Another judgment or order of a person given above: the person's columns must say
            # the same, or which row is right is not ours to guess.
            at = index_of.get(row.case_number)
            earlier = result.rows[at] if at is not None else None
            if at is not None and earlier is not None and earlier.same_person(row):
                result.rows[at] = replace(
                    earlier,
                    judgments=earlier.judgments + row.judgments,
                    expulsion_orders=earlier.expulsion_orders + row.expulsion_orders,
                )
                continue
            result.add(
                [
                    Problem(
                        number,
                        "case_number",
                        _(
                            "%(case)s is also on row %(first)s with other details; a person's "
                            "rows must give the same details, each with another judgment or "
                            "expulsion order."
                        )
                        % {"case": row.case_number, "first": first},
                    )
                ]
            )
            continue
        if first != number:
            result.add(
                [
                    Problem(
                        number,
                        "case_number",
                        _("%(case)s is also on row %(first)s.")
                        % {"case": row.case_number, "first": first},
                    )
                ]
            )
            continue
        index_of[row.case_number] = len(result.rows)
        result.rows.append(row)
    if not result.rows and not result.problems:
        result.add([Problem(None, "", _("The file has no rows to import."))])
    return result


def _read_row(
    number: int, raw: dict[str, str], known_countries: Collection[str], today: date
) -> InmateRow | list[Problem]:
    # A cell a spreadsheet would run as a formula (CSV injection) is refused, not altered.
    refused = {column for column, value in raw.items() if starts_like_formula(value)}
    cells = {k: ("" if k in refused else v.strip()) for k, v in raw.items()}
    for column in OPTIONAL_COLUMNS:
        cells.setdefault(column, "")
    reader = _RowReader(number, cells, known_countries, refused=refused, today=today)
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
    sex = reader.choice("sex", Inmate.Sex)
    nationalities = reader.nationalities()
    languages = reader.languages()
    flags = {column: reader.boolean(column) for column in _BOOLEAN_COLUMNS}
    country_of_return = reader.country_of_return()
    # Empty: the country's answer applies. A yes or a no for this person needs its reason;
    # "unknown" without one says nothing the country's answer does not, and is read as empty.
    return_readmits = reader.choice("return_readmits", Inmate.Readmission, default="")
    readmits_reason = reader.text("return_readmits_reason", required=False)
    if return_readmits == Inmate.Readmission.UNKNOWN and not readmits_reason:
        return_readmits = ""
    if return_readmits and not readmits_reason:
        reader.problem(
            "return_readmits_reason",
            _(
                "is empty; give the reason this person's readmission differs from the "
                "country's, or leave return_readmits empty to follow the country."
            ),
        )
    judgment = reader.judgment()
    expulsion_order = reader.expulsion_order()
    security_level = reader.choice("security_level", Inmate.SecurityLevel)
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
        return_readmits_reason=readmits_reason,
        security_level=security_level,
        home_institution=home_institution,
        judgments=(judgment,) if judgment else (),
        expulsion_orders=(expulsion_order,) if expulsion_order else (),
        **flags,
    )
