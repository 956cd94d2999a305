"""/api/v1/occupancy/ and /api/v1/roll/: the dashboard's twins."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.postgres.fields.ranges import DateRange

from program.cells.models import Outage
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
OCCUPANCY = "/api/v1/occupancy/"
ROLL = "/api/v1/roll/"


@pytest.fixture(autouse=True)
def _today(time_machine) -> None:
    time_machine.move_to(datetime(2027, 6, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen")))


def _gjilan(places: int = 4):
    agreement = an_agreement(name="Denmark–Kosovo", contracted_places=300)
    RampUpCapFactory(agreement=agreement, effective_from=date(2027, 4, 1), places=100)
    facility = a_facility(agreement=agreement, name="Gjilan prison")
    return facility, make_places(a_unit(facility=facility, code="A"), places)


def _error(response, status: int, field: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "invalid"
    assert field in body["error"]["details"]
    return body["error"]


# --- Occupancy -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_series_gives_each_day_with_cap_and_contracted(finance_officer) -> None:
    facility, places = _gjilan()
    place_in(places[0], date(2027, 4, 1))
    place_in(places[1], date(2027, 3, 20), date(2027, 4, 3))
    reserve(places[2], date(2027, 4, 2))

    response = finance_officer.get(
        OCCUPANCY,
        {"from": "2027-03-31", "to": "2027-04-02", "agreement": facility.agreement_id},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["agreement"] == {
        "id": facility.agreement_id,
        "name": "Denmark–Kosovo",
        "contracted_places": 300,
    }
    assert (body["from"], body["to"]) == ("2027-03-31", "2027-04-02")
    assert body["days"] == [
        {"date": "2027-03-31", "occupied": 1, "reserved": 0, "cap": 300, "contracted": 300},
        {"date": "2027-04-01", "occupied": 2, "reserved": 0, "cap": 100, "contracted": 300},
        {"date": "2027-04-02", "occupied": 2, "reserved": 1, "cap": 100, "contracted": 300},
    ]
    assert body["utilisation"] == {
        "from": "2027-03-31",
        "to": "2027-04-02",
        "days": 3,
        "occupied_place_days": 5,
        "contracted_place_days": 900,
        "paid_but_empty_place_days": 895,
        "percent": "0.6",
    }


@pytest.mark.django_db
def test_by_default_the_last_365_days_of_the_first_agreement(occupancy_admin) -> None:
    _gjilan()
    an_agreement(signed_on=date(2030, 1, 1))  # signed later
    body = occupancy_admin.get(OCCUPANCY).json()
    assert body["agreement"]["name"] == "Denmark–Kosovo"
    assert len(body["days"]) == 365
    assert body["days"][-1]["date"] == "2027-06-15"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2027-03-01", "to": "2027-02-01"}, "from", "on or before the end date"),
        ({"from": "2000-01-01", "to": "2027-01-01"}, "to", "at most 20 years"),
        ({"from": "01/02/2027"}, "from", "Date has wrong format"),
        ({"agreement": "999999"}, "agreement", "There is no agreement 999999"),
        ({"agreement": "x"}, "agreement", "Incorrect type"),
        ({"from": "9999-01-01", "to": "9999-12-31"}, None, None),
        ({"to": "0001-01-05"}, None, None),
    ],
)
def test_bad_occupancy_parameters_are_a_400_that_names_the_field(
    occupancy_admin, query, field, message
) -> None:
    _gjilan()
    response = occupancy_admin.get(OCCUPANCY, query)
    if field is None:  # the ends of the calendar are odd but valid
        assert response.status_code == 200
        return
    error = _error(response, 400, field)
    assert message in error["message"]


@pytest.mark.django_db
def test_with_no_agreement_the_occupancy_endpoint_says_so(occupancy_admin) -> None:
    error = _error(occupancy_admin.get(OCCUPANCY), 400, "agreement")
    assert "No agreement has been recorded yet." in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_occupancy_query_count_stays_flat(occupancy_admin, django_assert_num_queries, rows) -> None:
    facility, places = _gjilan(places=rows)
    fill(places, date(2026, 1, 1))
    # session, user (with roles), the agreement, daily series, the rent terms, occupied place-days
    with django_assert_num_queries(6):
        response = occupancy_admin.get(OCCUPANCY, {"agreement": facility.agreement_id})
    assert response.json()["days"][-1]["occupied"] == rows


# --- Roll ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_roll_gives_units_totals_and_each_place(caseworker) -> None:
    facility, places = _gjilan()
    placed = place_in(
        places[0],
        date(2027, 4, 1),
        expected_release_on=date(2027, 12, 1),
        inmate=make_inmate("Jens Hansen"),
    )
    reserve(places[1], TODAY + timedelta(days=7))
    Outage.objects.create(place=places[2], reason="repair", period=DateRange(TODAY, None))

    response = caseworker.get(ROLL, {"date": "2027-06-15", "facility": facility.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["facility"] == {
        "id": facility.pk,
        "name": "Gjilan prison",
        "agreement": facility.agreement_id,
    }
    assert body["date"] == "2027-06-15"
    counts = {
        "places": 4,
        "occupied": 1,
        "reserved": 0,
        "out_of_use": 1,
        "free": 2,
        "arriving": 1,
        "net_vacancy": 1,
    }
    assert body["total"] == counts
    (unit,) = body["units"]
    assert unit["code"] == "A"
    assert {key: unit[key] for key in counts} == counts
    assert body["places"][0] == {
        "unit": "A",
        "cell": places[0].cell.number,
        "place": 1,
        "place_id": places[0].pk,
        "status": "occupied",
        "case_number": placed.inmate.case_number,
        "name": "Jens Hansen",
        "since": "2027-04-01",
        "expected_release": "2027-12-01",
    }
    assert body["places"][1]["status"] == "free"
    assert body["places"][1]["name"] is None
    assert [p["status"] for p in body["places"]] == ["occupied", "free", "out_of_use", "free"]


@pytest.mark.django_db
def test_a_past_roll(caseworker) -> None:
    facility, places = _gjilan()
    place_in(places[0], date(2027, 1, 1), date(2027, 3, 1))
    body = caseworker.get(ROLL, {"date": "2027-02-01"}).json()
    assert body["total"]["occupied"] == 1
    assert body["facility"]["id"] == facility.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date": "2027-06-16"}, "date", "today or a past date"),
        ({"date": "soon"}, "date", "Date has wrong format"),
        ({"facility": "999999"}, "facility", "There is no facility 999999"),
        ({"facility": "99999999999999999999"}, "facility", "There is no facility"),
    ],
)
def test_bad_roll_parameters_are_a_400_that_names_the_field(
    caseworker, query, field, message
) -> None:
    _gjilan()
    error = _error(caseworker.get(ROLL, query), 400, field)
    assert message in error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_roll_query_count_stays_flat(occupancy_admin, django_assert_num_queries, rows) -> None:
    facility, places = _gjilan(places=rows)
    fill(places, date(2027, 1, 1))
    # session, user (with roles), the facility, units, place counts by unit and status,
    # places with cells, units and outage flag, placements with inmates and latest judgment,
    # the access-log row naming everyone on the roll (names leave the system), with the
    # bulk-read count in the same statement
    with django_assert_num_queries(8):
        response = occupancy_admin.get(ROLL, {"facility": facility.pk})
    assert len(response.json()["places"]) == rows


# --- Who may call what ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "occupancy_status", "roll_status"),
    [
        ("occupancy_admin", 200, 200),
        ("caseworker", 200, 200),
        ("auditor", 200, 200),
        ("finance_officer", 200, 403),
        ("finance_approver", 200, 403),
        ("stranger", 403, 403),
    ],
)
def test_who_may_call_occupancy_and_roll(persona, who, occupancy_status, roll_status) -> None:
    _gjilan()
    client = persona(who)
    assert client.get(OCCUPANCY).status_code == occupancy_status
    response = client.get(ROLL)
    assert response.status_code == roll_status
    if roll_status == 403:
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
def test_anonymous_callers_get_401(client) -> None:
    for url in (OCCUPANCY, ROLL):
        assert client.get(url).status_code == 401


# --- Schema --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_both_endpoints_are_in_the_schema_with_parameters_and_shapes(occupancy_admin) -> None:
    schema = occupancy_admin.get("/api/schema/", {"format": "json"}).json()
    occupancy_get = schema["paths"]["/api/v1/occupancy/"]["get"]
    roll_get = schema["paths"]["/api/v1/roll/"]["get"]
    assert {p["name"] for p in occupancy_get["parameters"]} == {"from", "to", "agreement"}
    assert {p["name"] for p in roll_get["parameters"]} == {"date", "facility"}
    occupancy_ref = occupancy_get["responses"]["200"]["content"]["application/json"]["schema"]
    occupancy_shape = schema["components"]["schemas"][occupancy_ref["$ref"].rsplit("/", 1)[1]]
    assert set(occupancy_shape["properties"]) == {"agreement", "from", "to", "days", "utilisation"}
    roll_ref = roll_get["responses"]["200"]["content"]["application/json"]["schema"]
    roll_shape = schema["components"]["schemas"][roll_ref["$ref"].rsplit("/", 1)[1]]
    assert set(roll_shape["properties"]) == {"facility", "date", "total", "units", "places"}
