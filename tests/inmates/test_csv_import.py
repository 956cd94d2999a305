"""Importing inmates from CSV: every problem listed, nothing written until the whole file is
good, and importing the same file twice changes nothing."""

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from program.core.errors import ApplicationError
from program.inmates import csv_import, selectors, services
from program.inmates.models import Inmate
from program.inmates.models_import import ImportJob
from tests.inmates.factories import InmateFactory

pytestmark = pytest.mark.django_db

URL = reverse("inmates:import")
# The person columns, then the optional reason for a readmission override.
HEADER = ",".join((*csv_import.REQUIRED_COLUMNS, "return_readmits_reason"))
GOOD_ROWS = [
    "KF-1,Ahmed Karimi,1988-03-02,M,AF;IR,Dari;English,yes,AF,no,medium,no,no,yes,Nyborg Prison,"
    "Refused a travel document",
    "KF-2,Jonas Berg,1975-11-30,m,se,Swedish,,SE,yes,LOW,,,,Storstrøm Prison,Passport on file",
    'KF-3,"Lee, Min",1999-01-15,F,CN,,no,,,high,yes,no,no,Vestre Prison,',
]


def _csv(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def _upload(data: bytes, name: str = "inmates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _parse(data: bytes) -> csv_import.ParsedFile:
    return csv_import.parse(data, known_countries=selectors.country_codes())


def _problems(parsed: csv_import.ParsedFile) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in parsed.problems]


# --- Reading the file -----------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_a_good_file_is_read_with_or_without_a_byte_order_mark(bom) -> None:
    parsed = _parse(_csv(*GOOD_ROWS, bom=bom))
    assert parsed.ok
    first, second, third = parsed.rows
    assert first.row == 2
    assert first.nationalities == ("AF", "IR")
    assert first.languages == ("Dari", "English")
    assert first.interpreter_needed
    assert first.minor_children_visiting
    assert first.return_readmits == "no"
    assert (second.sex, second.security_level, second.return_readmits) == ("M", "low", "yes")
    assert not second.interpreter_needed  # empty means no
    assert third.name == "Lee, Min"
    assert third.country_of_return is None
    assert third.return_readmits == ""  # empty: the country's answer applies


def test_columns_may_come_in_any_order() -> None:
    columns = list(reversed(HEADER.split(",")))
    values = GOOD_ROWS[0].split(",")
    row = ",".join(reversed(values))
    parsed = _parse(_csv(row, header=",".join(columns)))
    assert parsed.ok
    assert parsed.rows[0].case_number == "KF-1"


def test_every_problem_in_every_row_is_listed() -> None:
    parsed = _parse(
        _csv(
            GOOD_ROWS[0],
            # row 3: four problems in one row
            ",Nameless Person,1988-02-30,Q,AF,,maybe,AF,,medium,no,no,no,Nyborg Prison,",
            GOOD_ROWS[1],
            # row 5: unknown and malformed countries, bad security level, empty institution
            "KF-5,Someone,1980-01-01,F,ZZ;Denmark,,no,QQ,perhaps,extreme,no,no,no,,",
            # row 6: too few cells
            "KF-6,Short Row",
            # row 7: the same case number as row 2
            GOOD_ROWS[0].replace("Ahmed Karimi", "Copy"),
        )
    )
    assert not parsed.ok
    assert _problems(parsed) == [
        (3, "case_number"),
        (3, "date_of_birth"),
        (3, "sex"),
        (3, "interpreter_needed"),
        (5, "nationalities"),
        (5, "nationalities"),
        (5, "country_of_return"),
        (5, "return_readmits"),
        (5, "security_level"),
        (5, "home_institution"),
        (6, ""),
        (7, "case_number"),
    ]
    assert parsed.bad_rows == 4
    messages = " | ".join(p.message for p in parsed.problems)
    assert "“ZZ” is not a known country code" in messages
    assert "“Denmark” is not a two-letter ISO country code" in messages
    assert "is also on row 2" in messages
    assert "has 2 cells; the header has 15" in messages


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", " =1+1"])
def test_spreadsheet_formula_cells_are_refused(cell) -> None:
    row = GOOD_ROWS[0].replace("Ahmed Karimi", f'"{cell}"')
    parsed = _parse(_csv(row))
    assert _problems(parsed) == [(2, "name")]
    assert "a spreadsheet would run as a formula" in parsed.problems[0].message


def test_a_formula_cell_does_not_hide_the_rows_other_problems() -> None:
    row = "=cmd,Name,1988-01-01,Q,AF,,no,,,low,no,no,no,Nyborg Prison,"
    assert _problems(_parse(_csv(row))) == [(2, "case_number"), (2, "sex")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Ahmed Kärimi".encode("latin-1"), "not UTF-8"),
        (_csv(header="case_number,name"), "Columns missing: date_of_birth"),
        (_csv(GOOD_ROWS[0], header=HEADER + ",notes"), "Unknown columns: notes"),
        (_csv(header=HEADER.replace(",", ";")), "separated by semicolons"),
        (_csv(), "no rows to import"),
        (b"", "must name the columns"),
        (b"a\x00b", "not a text CSV"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data, message) -> None:
    parsed = _parse(data)
    assert not parsed.ok
    assert message in parsed.problems[0].message


# --- The page: preview, then confirm --------------------------------------------------------------


def _preview(client, data: bytes, name: str = "inmates.csv"):
    return client.post(URL, {"file": _upload(data, name)})


def _waiting() -> ImportJob | None:
    return ImportJob.objects.filter(state=ImportJob.State.PREVIEWED).first()


def _confirm(client):
    # The preview waits server-side, in a table; the session carries nothing of it.
    job = _waiting()
    assert job is not None
    assert not any("import" in key for key, _value in client.session.items())
    return client.post(URL, {"job": job.pk, "digest": job.digest}, follow=True)


def test_the_preview_lists_every_bad_row_and_imports_nothing(caseworker) -> None:
    data = _csv(
        GOOD_ROWS[0],
        ",Nameless,1988-01-01,M,AF,,no,,,low,no,no,no,Nyborg Prison,",
        "KF-4,Someone,1980-01-01,F,ZZ,,no,,,low,no,no,no,Nyborg Prison,",
        "KF-5,=evil(),1980-01-01,F,SE,,no,,,low,no,no,no,Nyborg Prison,",
    )
    response = _preview(caseworker, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body
    assert "The file has 3 problems" in body
    for row in ["3", "4", "5"]:
        assert f'<td class="app-number">{row}</td>' in body
    assert "Import these rows" not in body
    assert _waiting() is None
    assert not Inmate.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(caseworker) -> None:
    data = _csv(*GOOD_ROWS)
    preview = _preview(caseworker, data).content.decode()
    assert "3 to create, 0 to update, 0 unchanged." in preview
    assert not Inmate.objects.exists()  # a preview writes nothing
    done = _confirm(caseworker)
    assert "Import finished: 3 created, 0 updated, 0 unchanged." in done.content.decode()
    assert Inmate.objects.count() == 3
    karimi = Inmate.objects.get(case_number="KF-1")
    assert sorted(c.code for c in karimi.nationalities.all()) == ["AF", "IR"]
    stamps = dict(Inmate.objects.values_list("case_number", "updated_at"))

    preview = _preview(caseworker, data).content.decode()
    assert "0 to create, 0 to update, 3 unchanged." in preview
    done = _confirm(caseworker)
    assert "Import finished: 0 created, 0 updated, 3 unchanged." in done.content.decode()
    assert dict(Inmate.objects.values_list("case_number", "updated_at")) == stamps


def test_an_import_updates_only_the_rows_that_differ(caseworker) -> None:
    _preview(caseworker, _csv(*GOOD_ROWS))
    _confirm(caseworker)
    changed = GOOD_ROWS[1].replace("se,Swedish", "se;no,Swedish")
    preview = _preview(caseworker, _csv(GOOD_ROWS[0], changed, GOOD_ROWS[2])).content.decode()
    assert "0 to create, 1 to update, 2 unchanged." in preview
    done = _confirm(caseworker)
    assert "0 created, 1 updated, 2 unchanged." in done.content.decode()
    berg = Inmate.objects.get(case_number="KF-2")
    assert sorted(c.code for c in berg.nationalities.all()) == ["NO", "SE"]


def test_confirming_without_a_current_preview_imports_nothing(caseworker) -> None:
    response = caseworker.post(URL, {"digest": "0" * 64}, follow=True)
    assert "upload the file again" in response.content.decode()
    _preview(caseworker, _csv(*GOOD_ROWS))
    waiting = _waiting()
    assert waiting is not None
    response = caseworker.post(URL, {"job": waiting.pk, "digest": "f" * 64}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert not Inmate.objects.exists()


def test_cancelling_forgets_the_preview(caseworker) -> None:
    _preview(caseworker, _csv(*GOOD_ROWS))
    assert _waiting() is not None
    caseworker.post(URL, {"cancel": "1"})
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("inmates.xlsx", _csv(*GOOD_ROWS), "Choose a .csv file."),
        ("inmates.csv", b"x" * (csv_import.MAX_BYTES + 1), "larger than 12 MB"),
    ],
)
def test_only_csv_files_up_to_12_mb_are_read(caseworker, name, data, message) -> None:
    body = _preview(caseworker, data, name).content.decode()
    assert message in body
    assert 'href="#id_file"' in body


@pytest.mark.parametrize("who", ["auditor", "occupancy_admin", "finance_officer"])
def test_only_caseworkers_import(persona, who) -> None:
    client = persona(who)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": _upload(_csv(*GOOD_ROWS))}).status_code == 403
    assert not Inmate.objects.exists()


# --- The service on its own ----------------------------------------------------------------------


def _rows() -> list[csv_import.InmateRow]:
    return _parse(_csv(*GOOD_ROWS)).rows


def test_the_import_is_all_or_nothing() -> None:
    InmateFactory(case_number="TAKEN")
    rows = _rows()
    # The service checks each row again; a language longer than the model allows fails row 4.
    bad = replace(rows[2], languages=("x" * 51,))
    with pytest.raises(ApplicationError) as raised:
        services.inmates_import_csv(rows=[rows[0], rows[1], bad], actor=None)
    assert raised.value.message.startswith("Row 4: ")
    assert list(Inmate.objects.values_list("case_number", flat=True)) == ["TAKEN"]


def test_the_import_refuses_duplicate_rows_and_unknown_countries() -> None:
    rows = _rows()
    with pytest.raises(ApplicationError, match="also on row 2"):
        services.inmates_import_csv(rows=[rows[0], rows[0]], actor=None)
    unknown = replace(rows[0], nationalities=("ZZ",))
    with pytest.raises(ApplicationError, match="Unknown country codes: ZZ"):
        services.inmates_import_csv(rows=[unknown], actor=None)
    assert not Inmate.objects.exists()


def test_rows_survive_the_trip_through_the_session_as_json() -> None:
    for row in _rows():
        assert csv_import.InmateRow.from_json(row.to_json()) == row
