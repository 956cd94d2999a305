"""The placements API: reads, the action endpoints, their refusals and their query counts."""

from datetime import date

import pytest

from program.cells import services
from program.cells.models import Placement
from program.inmates.models import Inmate
from tests.factories import CellFactory, PlaceFactory, UnitFactory

DAY = date(2027, 5, 3)
LATER = date(2027, 6, 1)


def make_inmate(n: int) -> Inmate:
    return Inmate.objects.create(
        case_number=f"KF-{n:05d}",
        name=f"Api Inmate {n}",
        date_of_birth=date(1985, 1, 1),
        sex="M",
        security_level="low",
        home_institution="Statsfængslet Østjylland",
    )


@pytest.fixture
def unit():
    return UnitFactory(code="A")


@pytest.fixture
def place(unit):
    return PlaceFactory(cell=CellFactory(unit=unit, number="A-101"))


@pytest.fixture
def other_place(unit):
    return PlaceFactory(cell=CellFactory(unit=unit, number="A-102"))


def admitted(inmate, place, on=DAY) -> Placement:
    return services.placement_admit(inmate=inmate, place=place, on=on, reason="T", actor=None)


# --- Actions ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admit_answers_201_with_the_placement(occupancy_admin, place) -> None:
    inmate = make_inmate(1)
    response = occupancy_admin.post(
        "/api/v1/placements/admit/",
        {
            "inmate": inmate.pk,
            "place": place.pk,
            "on": "2027-05-03",
            "reason": "Transfer decision",
            "expected_release_on": "2028-01-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    placement = Placement.objects.get()
    assert body == {
        "id": placement.pk,
        "inmate": {"id": inmate.pk, "case_number": "KF-00001"},
        "place": {"id": place.pk, "label": "A-101-1"},
        "kind": "placement",
        "from": "2027-05-03",
        "to": None,
        "reason": "Transfer decision",
        "end_reason": "",
        "expected_release_on": "2028-01-31",
    }


@pytest.mark.django_db
def test_reserve_then_cancel(occupancy_admin, place) -> None:
    inmate = make_inmate(1)
    response = occupancy_admin.post(
        "/api/v1/placements/reserve/",
        {"inmate": inmate.pk, "place": place.pk, "on": "2027-05-10", "reason": "Booked"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "reservation"
    assert response.json()["from"] == "2027-05-10"
    pk = response.json()["id"]
    response = occupancy_admin.post(
        f"/api/v1/placements/{pk}/cancel/",
        {"reason": "Transport cancelled"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["end_reason"] == "cancelled"


@pytest.mark.django_db
def test_move_answers_with_the_new_placement(occupancy_admin, place, other_place) -> None:
    placement = admitted(make_inmate(1), place)
    response = occupancy_admin.post(
        f"/api/v1/placements/{placement.pk}/move/",
        {"to_place": other_place.pk, "on": "2027-06-01", "reason": "Repair"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] != placement.pk
    assert body["place"] == {"id": other_place.pk, "label": "A-102-1"}
    assert body["from"] == "2027-06-01"
    placement.refresh_from_db()
    assert placement.end_reason == "moved"


@pytest.mark.django_db
def test_release_ends_the_placement(occupancy_admin, place) -> None:
    placement = admitted(make_inmate(1), place)
    response = occupancy_admin.post(
        f"/api/v1/placements/{placement.pk}/release/",
        {"on": "2027-06-01", "end_reason": "returned"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["to"] == "2027-06-01"
    assert response.json()["end_reason"] == "returned"


@pytest.mark.django_db
def test_a_taken_place_is_a_409_in_the_one_error_shape(occupancy_admin, place) -> None:
    admitted(make_inmate(1), place)
    response = occupancy_admin.post(
        "/api/v1/placements/admit/",
        {"inmate": make_inmate(2).pk, "place": place.pk, "on": "2027-06-01", "reason": "T"},
        content_type="application/json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["message"] == "Place A-101-1 is already taken from 2027-05-03."
    assert error["details"] == {}
    assert Placement.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_date_is_a_400_naming_the_field(occupancy_admin, place) -> None:
    response = occupancy_admin.post(
        "/api/v1/placements/admit/",
        {"inmate": make_inmate(1).pk, "place": place.pk, "on": "03/05/2027", "reason": "T"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("The request has invalid fields: on:")
    assert "on" in error["details"]
    assert not Placement.objects.exists()


@pytest.mark.django_db
def test_a_rule_naming_a_field_is_a_400_with_that_field(occupancy_admin, place) -> None:
    placement = admitted(make_inmate(1), place)
    response = occupancy_admin.post(
        f"/api/v1/placements/{placement.pk}/release/",
        {"on": "2027-05-01", "end_reason": "released"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"on": ["after admission"]}


@pytest.mark.django_db
def test_release_with_a_reason_that_is_not_a_release_is_a_400(occupancy_admin, place) -> None:
    placement = admitted(make_inmate(1), place)
    response = occupancy_admin.post(
        f"/api/v1/placements/{placement.pk}/release/",
        {"on": "2027-06-01", "end_reason": "moved"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "end_reason" in response.json()["error"]["details"]


@pytest.mark.django_db
def test_an_action_on_an_unknown_placement_is_a_404(occupancy_admin) -> None:
    response = occupancy_admin.post(
        "/api/v1/placements/999999/cancel/", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker", "auditor", "finance_officer", "stranger"])
def test_only_the_occupancy_administrator_may_act(persona, who, place) -> None:
    response = persona(who).post(
        "/api/v1/placements/admit/",
        {"inmate": make_inmate(1).pk, "place": place.pk, "on": "2027-05-03", "reason": "T"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Placement.objects.exists()


@pytest.mark.django_db
def test_a_caseworker_reads_placements(caseworker, place) -> None:
    placement = admitted(make_inmate(1), place)
    assert caseworker.get("/api/v1/placements/").json()["count"] == 1
    detail = caseworker.get(f"/api/v1/placements/{placement.pk}/")
    assert detail.status_code == 200
    assert detail.json()["place"]["label"] == "A-101-1"


# --- Reads and filters --------------------------------------------------------------------------


@pytest.mark.django_db
def test_placements_filter_by_inmate_place_kind_and_day(
    caseworker, unit, place, other_place
) -> None:
    first, second = make_inmate(1), make_inmate(2)
    old = admitted(first, place, on=date(2027, 5, 1))
    services.placement_release(
        placement=old, on=date(2027, 5, 20), end_reason="released", actor=None
    )
    services.reservation_create(
        inmate=second, place=other_place, arrival_on=LATER, reason="Booked", actor=None
    )

    def ids(**params) -> list[int]:
        return [
            row["id"] for row in caseworker.get("/api/v1/placements/", params).json()["results"]
        ]

    reservation = Placement.objects.get(kind="reservation")
    assert ids(inmate=first.pk) == [old.pk]
    assert ids(place=other_place.pk) == [reservation.pk]
    assert ids(kind="reservation") == [reservation.pk]
    assert ids(active_on="2027-05-19") == [old.pk]
    assert ids(active_on="2027-05-20") == []
    assert ids(active_on="2027-06-01") == [reservation.pk]


@pytest.mark.django_db
def test_places_filter_by_facility_unit_cell_and_free_on(
    caseworker, unit, place, other_place
) -> None:
    elsewhere = PlaceFactory()
    admitted(make_inmate(1), place)

    def labels(**params) -> list[str]:
        return [row["label"] for row in caseworker.get("/api/v1/places/", params).json()["results"]]

    assert labels(facility=unit.facility_id) == ["A-101-1", "A-102-1"]
    assert labels(unit=unit.pk) == ["A-101-1", "A-102-1"]
    assert labels(cell=place.cell_id) == ["A-101-1"]
    assert labels(unit=unit.pk, free_on="2027-05-03") == ["A-102-1"]
    assert labels(unit=unit.pk, free_on="2027-04-01") == ["A-102-1"]  # held from May on
    assert elsewhere.pk in [
        row["id"] for row in caseworker.get("/api/v1/places/").json()["results"]
    ]
    detail = caseworker.get(f"/api/v1/places/{place.pk}/").json()
    assert detail == {
        "id": place.pk,
        "label": "A-101-1",
        "number": 1,
        "cell": place.cell_id,
        "cell_number": "A-101",
        "unit": unit.pk,
        "unit_code": "A",
        "facility": unit.facility_id,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 15])
def test_placement_list_query_count(caseworker, django_assert_num_queries, unit, rows) -> None:
    for n in range(rows):
        admitted(make_inmate(n), PlaceFactory(cell=CellFactory(unit=unit)))
    # session, user, roles, count for pagination, the page of placements with inmate and place,
    # the access-log row naming everyone on the page (with the bulk-read count, one statement)
    with django_assert_num_queries(5):
        response = caseworker.get("/api/v1/placements/", {"active_on": "2027-05-03"})
    assert response.status_code == 200
    assert response.json()["count"] == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 15])
def test_place_list_query_count(caseworker, django_assert_num_queries, unit, rows) -> None:
    for _ in range(rows):
        PlaceFactory(cell=CellFactory(unit=unit))
    # session, user, roles, count for pagination, the page of places with cell and unit
    with django_assert_num_queries(4):
        response = caseworker.get("/api/v1/places/", {"unit": unit.pk, "free_on": "2027-05-03"})
    assert response.status_code == 200
    assert response.json()["count"] == rows


@pytest.mark.django_db
def test_the_schema_shows_the_action_bodies(caseworker) -> None:
    schema = caseworker.get("/api/schema/?format=json").json()
    admit = schema["paths"]["/api/v1/placements/admit/"]["post"]
    request_ref = admit["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert request_ref.endswith("/AdmitInputRequest")
    assert set(schema["components"]["schemas"]["AdmitInputRequest"]["properties"]) == {
        "inmate",
        "place",
        "on",
        "reason",
        "expected_release_on",
    }
    created = admit["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert created.endswith("/Placement")
    assert {"from", "to"} <= set(schema["components"]["schemas"]["Placement"]["properties"])
    assert "409" in admit["responses"]
    for action in ("move", "release", "cancel"):
        assert "requestBody" in schema["paths"][f"/api/v1/placements/{{id}}/{action}/"]["post"]
