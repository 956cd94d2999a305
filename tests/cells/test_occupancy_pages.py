"""The occupancy dashboard, the nominal roll CSV and the home panel."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.postgres.fields.ranges import DateRange
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from program.cells import occupancy
from program.cells.models import Outage
from program.cells.panels import occupancy_panel
from program.cells.views_occupancy import occupancy_chart
from program.core.charts import MAX_POINTS
from program.core.exports import neutralise
from program.core.roles import Role
from tests.cells.test_occupancy_selectors import (
    a_facility,
    a_unit,
    an_agreement,
    fill,
    make_inmate,
    make_places,
    place_in,
    reserve,
)
from tests.factories import RampUpCapFactory

TODAY = date(2027, 6, 15)
DASHBOARD = reverse("cells:occupancy")
ROLL_CSV = reverse("cells:roll-csv")


@pytest.fixture(autouse=True)
def _today(time_machine) -> None:
    time_machine.move_to(datetime(2027, 6, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen")))


def _gjilan(places_a: int = 4, places_b: int = 2, cap: int = 100):
    agreement = an_agreement(name="Denmark–Kosovo", contracted_places=300)
    RampUpCapFactory(agreement=agreement, effective_from=date(2027, 4, 1), places=cap)
    facility = a_facility(agreement=agreement, name="Gjilan prison")
    a = make_places(a_unit(facility=facility, code="A", name="Unit A"), places_a)
    b = make_places(a_unit(facility=facility, code="B", name="Unit B"), places_b)
    return facility, a, b


# --- The dashboard -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_shows_today_the_units_the_chart_and_utilisation(occupancy_admin) -> None:
    facility, a, b = _gjilan()
    place_in(a[0], date(2027, 4, 1), expected_release_on=date(2027, 9, 1))
    place_in(a[1], date(2027, 5, 1))
    reserve(a[2], TODAY + timedelta(days=3))
    Outage.objects.create(place=b[0], reason="repair", period=DateRange(TODAY, None))

    response = occupancy_admin.get(DASHBOARD)

    assert response.status_code == 200
    body = response.content.decode()
    totals = response.context["roll"].total
    assert (totals.places, totals.occupied, totals.out_of_use, totals.free) == (6, 2, 1, 3)
    assert (totals.arriving, totals.net_vacancy) == (1, 2)
    assert 'data-testid="unit-roll"' in body
    assert "A Unit A" in body
    assert "B Unit B" in body
    assert "<svg" in body
    assert 'role="img"' in body
    for series in ("occupied", "forecast", "cap", "contracted", "today"):
        assert f'data-series="{series}"' in body
    assert 'data-testid="chart-table"' in body
    assert "2027-06" in body
    util = response.context["utilisation"]
    assert (util.start, util.end) == (TODAY - timedelta(days=364), TODAY)  # the last 365 days
    assert f"{ROLL_CSV}?date=2027-06-15&amp;facility={facility.pk}" in body
    assert 'data-testid="capacity-alert"' not in body


@pytest.mark.django_db
def test_each_unit_links_to_its_unit_view(occupancy_admin) -> None:
    _facility, a, _b = _gjilan()
    body = occupancy_admin.get(DASHBOARD).content.decode()
    unit = a[0].cell.unit
    try:
        url = reverse("cells:unit-detail", args=[unit.pk])
    except NoReverseMatch:  # the unit view arrives in its own change
        pytest.skip("cells:unit-detail is not routed yet")
    assert f'href="{url}"' in body


@pytest.mark.django_db
def test_a_past_date_shows_that_days_roll(occupancy_admin) -> None:
    _facility, a, _b = _gjilan()
    place_in(a[0], date(2027, 1, 1), date(2027, 3, 1))

    response = occupancy_admin.get(DASHBOARD, {"date": "2027-02-01"})

    assert response.status_code == 200
    assert response.context["roll"].total.occupied == 1
    assert "Roll on 2027-02-01" in response.content.decode()


@pytest.mark.django_db
def test_a_chosen_period_gives_its_utilisation(occupancy_admin) -> None:
    _facility, a, _b = _gjilan()
    fill(a[:3], date(2027, 1, 1))
    response = occupancy_admin.get(DASHBOARD, {"from": "2027-02-01", "to": "2027-02-28"})
    util = response.context["utilisation"]
    assert (util.days, util.occupied_place_days, util.contracted_place_days) == (28, 84, 8400)
    assert util.paid_but_empty_place_days == 8316
    assert "1.0 %" in response.content.decode()
    assert 'data-series="forecast"' not in response.content.decode()  # a past period


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("placed", "reserved_later", "testid", "heading"),
    [
        (49, 0, "capacity-alert", "Above 96 % of the cap today"),
        (50, 0, "capacity-alert", "At the cap today"),
        (48, 1, "forecast-alert", "The forecast goes above 96 % of the cap"),
        (48, 2, "forecast-alert", "The forecast reaches the cap"),
    ],
)
def test_the_dashboard_warns_above_96_percent_and_alerts_at_the_cap(
    occupancy_admin, placed, reserved_later, testid, heading
) -> None:
    _facility, a, _b = _gjilan(places_a=52, cap=50)
    fill(a[:placed], date(2027, 4, 1))
    for i in range(reserved_later):
        reserve(a[placed + i], TODAY + timedelta(days=30))

    body = occupancy_admin.get(DASHBOARD).content.decode()

    assert f'data-testid="{testid}"' in body
    assert heading in body


@pytest.mark.django_db
def test_a_forecast_no_worse_than_today_adds_no_second_alert(occupancy_admin) -> None:
    _facility, a, _b = _gjilan(places_a=52, cap=50)
    fill(a[:50], date(2027, 4, 1))  # at the cap today and for good
    body = occupancy_admin.get(DASHBOARD).content.decode()
    assert "At the cap today" in body
    assert "forecast-alert" not in body


@pytest.mark.django_db
def test_within_96_percent_there_is_no_alert(occupancy_admin) -> None:
    _facility, a, _b = _gjilan(places_a=52, cap=50)
    fill(a[:48], date(2027, 4, 1))
    body = occupancy_admin.get(DASHBOARD).content.decode()
    assert "capacity-alert" not in body
    assert "forecast-alert" not in body


@pytest.mark.django_db
def test_with_several_facilities_one_can_be_chosen(occupancy_admin) -> None:
    facility, _a, _b = _gjilan()
    other = a_facility(agreement=facility.agreement, name="Another prison")
    place_in(make_places(a_unit(facility=other, code="X"), 1)[0], date(2027, 5, 1))

    first = occupancy_admin.get(DASHBOARD)
    assert first.context["facility"] == other  # "Another prison" sorts first
    assert 'data-testid="facility-form"' in first.content.decode()
    chosen = occupancy_admin.get(DASHBOARD, {"facility": facility.pk})
    assert chosen.context["facility"] == facility
    assert chosen.context["roll"].total.occupied == 0


@pytest.mark.django_db
def test_with_no_facility_the_page_says_so(occupancy_admin) -> None:
    response = occupancy_admin.get(DASHBOARD)
    assert response.status_code == 200
    assert "No facility has been recorded yet." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date": "15/06/2027x"}, "Enter the date as YYYY-MM-DD"),
        ({"date": "2027-06-16"}, "today or a past date"),
        ({"from": "2027-03-01", "to": "2027-02-01"}, "on or before the end date"),
        ({"from": "2000-01-01", "to": "2027-01-01"}, "at most 20 years"),
        ({"to": "2027-13-01"}, "Enter the date as YYYY-MM-DD"),
        ({"facility": "999999"}, "There is no facility 999999"),
        ({"facility": "abc"}, "There is no facility abc"),
        ({"facility": "99999999999999999999"}, "There is no facility 99999999999999999999"),
    ],
)
def test_bad_query_input_is_named_on_the_page(occupancy_admin, query, message) -> None:
    _gjilan()
    response = occupancy_admin.get(DASHBOARD, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="occupancy-errors"' in body
    assert message in body
    assert 'data-testid="unit-roll"' not in body


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_dashboard_query_count_stays_flat(occupancy_admin, django_assert_num_queries, rows) -> None:
    _facility, a, b = _gjilan(places_a=rows, places_b=rows)
    fill(a, date(2027, 4, 1))
    fill(b, date(2026, 4, 1), date(2027, 5, 1))
    for place in b:
        Outage.objects.create(place=place, reason="repair", period=DateRange(TODAY, None))
    # session, user (with roles and unread count), facilities with agreements, the user's
    # programme, units, place counts by unit and status, cap on the roll date, daily series, the
    # cases on their way, forecast, occupied place-days, the rent terms, the header's work-queue
    # counts (one query)
    with django_assert_num_queries(13):
        response = occupancy_admin.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["roll"].total.occupied == rows


# --- The chart -----------------------------------------------------------------------------------


def test_a_long_series_is_drawn_with_at_most_one_point_a_pixel() -> None:
    first = date(2010, 1, 1)
    series = [
        occupancy.SeriesDay(first + timedelta(days=i), i % 300, 0, 100 if i < 4000 else 300, 300)
        for i in range(7000)
    ]
    chart = occupancy_chart(series=series, forecast=[], today=date(2030, 1, 1))
    assert chart is not None
    assert len(chart.line("occupied").points.split()) <= MAX_POINTS
    # The cap is drawn as steps: start, the step up (two points) and the end.
    assert len(chart.line("cap").points.split()) == 4
    assert chart.y_ticks[0].label == "0"
    assert int(chart.y_ticks[-1].label) >= 300
    assert chart.x_ticks[0].label == "2010-01-01"


def test_nothing_to_draw_gives_no_chart() -> None:
    assert occupancy_chart(series=[], forecast=[], today=TODAY) is None


# --- The roll as CSV -----------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_roll_csv_lists_every_place_and_who_holds_it(occupancy_admin) -> None:
    facility, a, b = _gjilan(places_a=2, places_b=2)
    place_in(
        a[0],
        date(2027, 4, 1),
        expected_release_on=date(2027, 12, 1),
        inmate=make_inmate("Jens Hansen"),
    )
    reserve(b[0], date(2027, 6, 10), inmate=make_inmate("Ole Olsen"))
    Outage.objects.create(place=b[1], reason="repair", period=DateRange(date(2027, 6, 1), None))

    response = occupancy_admin.get(ROLL_CSV, {"date": "2027-06-15", "facility": facility.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="nominal-roll-gjilan-prison-2027-06-15.csv"'
    assert "no-store" in response["Cache-Control"]
    header, *rows = _rows(response)
    assert header == [
        "Unit",
        "Cell",
        "Place",
        "Case number",
        "Name",
        "Since",
        "Expected release",
        "Status",
    ]
    assert [row[4] for row in rows] == ["Jens Hansen", "", "Ole Olsen", ""]
    assert rows[0][:3] == ["A", a[0].cell.number, "1"]
    assert rows[0][5:] == ["2027-04-01", "2027-12-01", "Occupied"]
    assert rows[1][7] == "Free"
    assert rows[2][5:] == ["2027-06-10", "", "Reserved"]
    assert rows[3][7] == "Out of use"


@pytest.mark.django_db
def test_the_roll_csv_defaults_to_today_and_the_first_facility(occupancy_admin) -> None:
    _facility, a, _b = _gjilan()
    place_in(a[0], date(2027, 4, 1))
    response = occupancy_admin.get(ROLL_CSV)
    assert response.status_code == 200
    assert "2027-06-15.csv" in response["Content-Disposition"]
    assert sum(row[7] == "Occupied" for row in _rows(response)[1:]) == 1


@pytest.mark.django_db
def test_the_roll_csv_neutralises_spreadsheet_formulas(occupancy_admin) -> None:
    facility, a, _b = _gjilan(places_a=3)
    place_in(a[0], date(2027, 4, 1), inmate=make_inmate('=HYPERLINK("http://x","y")'))
    place_in(a[1], date(2027, 4, 1), inmate=make_inmate("@SUM(A1)"))
    hostile = make_inmate("+45 Hansen")
    hostile.case_number = "-2+3"
    hostile.save()
    place_in(a[2], date(2027, 4, 1), inmate=hostile)

    rows = _rows(occupancy_admin.get(ROLL_CSV, {"facility": facility.pk}))[1:]

    names = [row[4] for row in rows[:3]]
    assert names == ['\'=HYPERLINK("http://x","y")', "'@SUM(A1)", "'+45 Hansen"]
    assert rows[2][3] == "'-2+3"
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("Ole") == "Ole"
    assert neutralise(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date": "yesterday"}, "Enter the date as YYYY-MM-DD"),
        ({"date": "2027-06-16"}, "today or a past date"),
        ({"facility": "999999"}, "There is no facility 999999"),
        ({"facility": "abc"}, "by its number"),
        ({"facility": "99999999999999999999"}, "There is no facility"),
    ],
)
def test_bad_roll_csv_input_is_a_400_in_words(occupancy_admin, query, message) -> None:
    _gjilan()
    response = occupancy_admin.get(ROLL_CSV, query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_roll_long_before_anyone_arrived_is_empty_not_an_error(caseworker) -> None:
    _gjilan()
    response = caseworker.get(ROLL_CSV, {"date": "0001-01-01"})
    assert response.status_code == 200
    assert all(row[7] == "Free" for row in _rows(response)[1:])


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_roll_csv_query_count_stays_flat(caseworker, django_assert_num_queries, rows) -> None:
    facility, a, _b = _gjilan(places_a=rows)
    fill(a, date(2027, 4, 1))
    # session, user (with roles), the facility, places with cells and units and outage
    # flag, placements with inmates and their latest judgment, the access-log row naming
    # everyone on the roll (an export; with the bulk-read count, one statement)
    with django_assert_num_queries(6):
        response = caseworker.get(ROLL_CSV, {"facility": facility.pk})
    assert len(_rows(response)) == 1 + rows + 2


# --- Who may see what ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "dashboard", "csv_status"),
    [
        ("occupancy_admin", 200, 200),
        ("caseworker", 200, 200),
        ("auditor", 200, 200),
        ("finance_officer", 200, 403),
        ("finance_approver", 200, 403),
        ("stranger", 403, 403),
    ],
)
def test_who_may_see_the_dashboard_and_the_roll(persona, who, dashboard, csv_status) -> None:
    _gjilan()
    client = persona(who)
    assert client.get(DASHBOARD).status_code == dashboard
    assert client.get(ROLL_CSV).status_code == csv_status


@pytest.mark.django_db
def test_finance_sees_numbers_but_no_roll_link_or_unit_links(finance_officer) -> None:
    _gjilan()
    body = finance_officer.get(DASHBOARD).content.decode()
    assert 'data-testid="unit-roll"' in body
    assert ROLL_CSV not in body
    assert "/units/" not in body


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    for url in (DASHBOARD, ROLL_CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- The home panel ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_panel_shows_today_against_the_cap() -> None:
    _facility, a, _b = _gjilan(places_a=50, cap=50)
    fill(a[:49], date(2027, 4, 1))
    request = RequestFactory().get("/")

    panel = occupancy_panel(request, frozenset({Role.FINANCE_OFFICER}))

    assert panel is not None
    (row,) = panel["agreements"]
    assert (row.occupied, row.cap, row.level) == (49, 50, "warning")
    html = render_to_string(panel["template"], {"panel": panel})
    assert "49 occupied of a cap of 50" in html
    assert DASHBOARD in html


def test_the_home_panel_is_hidden_from_those_without_the_dashboard() -> None:
    assert occupancy_panel(RequestFactory().get("/"), frozenset()) is None
