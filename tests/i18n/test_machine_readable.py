"""The main pages rendered in Danish, with ids above 100000 and amounts in the millions: every
number a machine reads (SVG geometry, ids and links, hidden and date-picker values) stays
"12.5" and "100012", never "12,5" or "100.012", while the text shows 3.750.000,00 and 01.04.2026.

A localized number inside an attribute is the classic break of thousand separators: a link to
/cases/100.012/, a chart whose bars go nowhere, a hidden version the server cannot read back.
"""

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from program.cells import services as cells_services
from program.core.field_tags import project_apps
from tests.cells.test_unit_view import make_inmate, new_place
from tests.factories import CellFactory, UnitFactory
from tests.finance.helpers import approved, first_rent, scheduled
from tests.transfers.factories import case_in
from transfers.models import TransferCase

pytestmark = pytest.mark.django_db

# A number grouped in thousands: 100.012 or 3.750.000 (a Danish date, 01.04.2026, is not).
GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d])")
NUMBER = r"-?\d+(?:\.\d+)?"
SVG_NUMBER = re.compile(rf"^{NUMBER}%?$")
SVG_NUMBERS = re.compile(rf"^{NUMBER}(?:[ ,]+{NUMBER})*$")
SVG_GEOMETRY = {"x", "y", "x1", "x2", "y1", "y2", "width", "height", "dx", "dy", "stroke-width"}
ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def machine_read_problems(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.found:
        typed_number = tag == "input" and attrs.get("inputmode") == "decimal"
        for name, value in attrs.items():
            where = f"<{tag} {name}={value!r}>"
            if (name in SVG_GEOMETRY and not SVG_NUMBER.match(value)) or (
                name in {"viewbox", "points"} and not SVG_NUMBERS.match(value.strip())
            ):
                problems.append(f"SVG geometry not machine-readable: {where}")
            elif name == "value" and attrs.get("type") == "date" and not ISO_DAY.match(value):
                problems.append(f"a date picker's value must be ISO: {where}")
            elif name in {"value", "max", "min"} and typed_number:
                continue  # an amount the reader types and reads: 3.750.000,00 on purpose
            elif GROUPED.search(value) and name not in {"title", "alt", "aria-label"}:
                problems.append(f"a localized number where a machine reads it: {where}")
    return problems


@pytest.fixture
def big_ids() -> None:
    """Start every table of the project's models (and users) at id 100001, so an id written
    with a thousands separator shows."""
    columns = {("auth_user", "id")} | {
        (model._meta.db_table, model._meta.pk.column)
        for config in project_apps()
        for model in config.get_models()
        if model._meta.pk is not None and model._meta.pk.get_internal_type().endswith("AutoField")
    }
    with connection.cursor() as cursor:
        for table, column in sorted(columns):
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT setval(%s, 100000)", [sequence])


@pytest.fixture
def programme(big_ids, finance_officer):
    # The reference data (countries, reason codes in both languages) is the autouse
    # `reference_data` of tests/i18n/conftest.py.
    tranche = approved(first_rent(scheduled()))
    unit = UnitFactory(code="A", name="Unit A")
    today = timezone.localdate()
    for number in range(3):
        place = new_place(cell=CellFactory(unit=unit, number=f"A-10{number}"))
        cells_services.placement_admit(
            inmate=make_inmate(f"KF-{number}", f"Inmate Number {number}"),
            place=place,
            on=today - timedelta(days=30),
            reason="Transfer decision",
            actor=None,
        )
    return {"tranche": tranche, "unit": unit}


def _danish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "da"
    return response.content.decode()


def test_the_finance_pages_in_danish_keep_machine_numbers_plain(programme, finance_officer) -> None:
    tranche = programme["tranche"]
    assert tranche.pk > 100000
    client = _danish(finance_officer)
    dashboard = _page(client, reverse("finance:dashboard"))
    assert "<svg" in dashboard  # the planned-against-paid chart
    schedule = _page(client, reverse("finance:schedule"))
    detail = _page(client, reverse("finance:tranche-detail", args=[tranche.pk]))
    for html in (dashboard, schedule, detail):
        assert machine_read_problems(html) == []
    # The reader's side: the amount and the day in Danish.
    assert "3.750.000,00" in detail
    assert tranche.due_on.strftime("%d.%m.%Y") in detail
    # The payment form's amount is shown the Danish way and reads back as the same number.
    assert 'value="3.750.000,00"' in detail
    assert f'name="pay-expected_version" value="{tranche.version}"' in detail


def test_the_occupancy_pages_in_danish_keep_machine_numbers_plain(
    occupancy_admin, programme
) -> None:
    client = _danish(occupancy_admin)
    dashboard = _page(client, reverse("cells:occupancy"))
    assert "<polyline" in dashboard
    unit = _page(client, reverse("cells:unit-detail", args=[programme["unit"].pk]))
    for html in (dashboard, unit):
        assert machine_read_problems(html) == []
    assert timezone.localdate().strftime("%d.%m.%Y") in dashboard


def test_the_transfer_pages_in_danish_keep_machine_numbers_plain(programme, make_user) -> None:
    carla = make_user("carla", "caseworker")
    case = case_in(TransferCase.State.ELIGIBLE, caseworker=carla)
    assert case.pk > 100000
    client = Client()
    client.force_login(carla)
    _danish(client)
    worklist = _page(client, reverse("transfers:worklist"))
    detail = _page(client, reverse("transfers:case-detail", args=[case.pk]))
    for html in (worklist, detail):
        assert machine_read_problems(html) == []
    assert f'href="{reverse("transfers:case-detail", args=[case.pk])}"' in worklist
    assert f"#{case.pk}" in detail  # the case's number, never #100.0xx


def test_the_check_catches_the_breaks_it_is_for() -> None:
    broken = (
        '<svg viewBox="0 0 1.040 200"><rect x="12,5" y="3" width="10" height="4"/>'
        '<polyline points="1,5,2,5 3.000,4"/></svg>'
        '<a href="/cases/100.012/">x</a><input type="hidden" name="v" value="100.012">'
        '<input type="date" value="01.04.2026">'
        '<input inputmode="decimal" value="3.750.000,00">'
    )
    assert len(machine_read_problems(broken)) == 6
    fine = (
        '<svg viewBox="0 0 1040 200"><rect x="12.5" y="3" width="10" height="4"/>'
        '<polyline points="1.5,2.5 3000.0,4"/></svg><a href="/cases/100012/">x</a>'
        f'<input type="date" value="{date(2026, 4, 1).isoformat()}">'
    )
    assert machine_read_problems(fine) == []
