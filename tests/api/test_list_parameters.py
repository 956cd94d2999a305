"""A list refuses what it cannot read, naming the parameter, instead of listing everything."""

import pytest

from program.cells.models import Cell
from tests.factories import CellFactory, PlaceFactory
from tests.inmates.factories import InmateFactory, JudgmentFactory, NonAssociationFactory
from tests.transfers.factories import TransferCaseFactory

pytestmark = pytest.mark.django_db


def _refused(response, parameter: str) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert parameter in error["details"]
    assert parameter in error["message"]
    return error


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/places/?free_on=", "free_on"),
        ("/api/v1/places/?facility=", "facility"),
        ("/api/v1/placements/?active_on=", "active_on"),
        ("/api/v1/placements/?kind=", "kind"),
        ("/api/v1/cells/?medical_observation=", "medical_observation"),
    ],
)
def test_an_empty_value_is_refused(occupancy_admin, url, parameter) -> None:
    _refused(occupancy_admin.get(url), parameter)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/non-associations/?inmate=0.5", "inmate"),
        ("/api/v1/placements/?inmate=0.5", "inmate"),
        ("/api/v1/places/?cell=1.5", "cell"),
        ("/api/v1/cells/?medical_observation=null", "medical_observation"),
        ("/api/v1/cells/?accessible=yes", "accessible"),
        ("/api/v1/inmates/?placed=unknown", "placed"),
        ("/api/v1/inmates/?release_from=2026-13-01", "release_from"),
        ("/api/v1/inmates/?ordering=date_of_birth", "ordering"),
        ("/api/v1/inmates/?ordering=", "ordering"),
        ("/api/v1/transfer-cases/?state=nonsense", "state"),
        ("/api/v1/transfer-cases/?mine=1", "mine"),
    ],
)
def test_a_malformed_value_is_refused(caseworker, occupancy_admin, url, parameter) -> None:
    client = caseworker if "inmates" in url or "transfer" in url else occupancy_admin
    _refused(client.get(url), parameter)


def test_an_unknown_parameter_is_refused_naming_the_accepted_ones(caseworker) -> None:
    error = _refused(caseworker.get("/api/v1/inmates/?q=Smith"), "q")
    for accepted in ("search", "case_number", "placed", "ordering", "page", "page_size"):
        assert accepted in error["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/transfer-cases/?q=x",
        "/api/v1/transport-batches/?departs_on=2026-01-01",
        "/api/v1/notifications/?unread=true",
        "/api/v1/placements/?ordering=reason",  # the list has one order
    ],
)
def test_every_list_refuses_unknown_parameters(caseworker, url) -> None:
    parameter = url.split("?")[1].split("=")[0]
    _refused(caseworker.get(url), parameter)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/occupancy/?to=", "to"),
        ("/api/v1/occupancy/?frm=2026-01-01", "frm"),
        ("/api/v1/roll/?date=", "date"),
    ],
)
def test_the_occupancy_views_refuse_empty_and_unknown_parameters(
    occupancy_admin, url, parameter
) -> None:
    _refused(occupancy_admin.get(url), parameter)


def test_the_cost_report_refuses_empty_and_unknown_parameters(finance_officer) -> None:
    url = "/api/v1/finance-reports/cost-per-place-day/"
    _refused(finance_officer.get(f"{url}?from="), "from")
    _refused(finance_officer.get(f"{url}?year=2026"), "year")


def test_well_formed_filters_still_filter(occupancy_admin) -> None:
    watched = CellFactory(medical_observation=True)
    CellFactory(unit=watched.unit, medical_observation=False)
    body = occupancy_admin.get("/api/v1/cells/?medical_observation=true&ordering=-number").json()
    assert [cell["id"] for cell in body["results"]] == [watched.pk]
    assert Cell.objects.count() == 2
    place = PlaceFactory(cell=watched)
    body = occupancy_admin.get(f"/api/v1/places/?cell={watched.pk}").json()
    assert [p["id"] for p in body["results"]] == [place.pk]


def test_a_list_filter_does_not_hide_one_object(caseworker) -> None:
    inmate = InmateFactory()
    # /inmates/{id}/ has no filters: ?placed=true is not a reason to answer 404.
    assert caseworker.get(f"/api/v1/inmates/{inmate.pk}/?placed=true").status_code == 200


def test_non_associations_filter_by_a_whole_inmate_id(caseworker) -> None:
    first, second, third = sorted(InmateFactory.create_batch(3), key=lambda i: i.pk)
    rule = NonAssociationFactory(inmate_a=first, inmate_b=second)
    NonAssociationFactory(inmate_a=second, inmate_b=third)
    body = caseworker.get(f"/api/v1/non-associations/?inmate={first.pk}").json()
    assert [r["id"] for r in body["results"]] == [rule.pk]


def test_transfer_cases_are_searched_by_case_number_and_name(caseworker, make_user) -> None:
    owner = make_user("owner")
    wanted = TransferCaseFactory(
        inmate=InmateFactory(case_number="KF-12345", name="Arben Krasniqi"), caseworker=owner
    )
    other = TransferCaseFactory(
        inmate=InmateFactory(case_number="KF-67890", name="Luan Gashi"), caseworker=owner
    )

    def ids(query: str) -> list[int]:
        response = caseworker.get(f"/api/v1/transfer-cases/?{query}")
        assert response.status_code == 200, response.content
        return [case["id"] for case in response.json()["results"]]

    assert ids("search=kf-12345") == [wanted.pk]
    assert ids("search=krasniqi") == [wanted.pk]
    assert ids("search=GASHI") == [other.pk]
    assert sorted(ids("")) == sorted([wanted.pk, other.pk])


def test_inmates_are_found_by_case_number_in_any_case(caseworker) -> None:
    wanted = InmateFactory(case_number="KF-00077")
    InmateFactory(case_number="KF-00770")
    body = caseworker.get("/api/v1/inmates/?case_number=kf-00077").json()
    assert [inmate["id"] for inmate in body["results"]] == [wanted.pk]


def test_an_indefinite_sentence_has_null_end_dates_as_the_schema_says(caseworker) -> None:
    judgment = JudgmentFactory(sentence_type="forvaring", length_days=None)
    body = caseworker.get(f"/api/v1/inmates/{judgment.inmate_id}/").json()
    assert body["judgments"][0]["full_term_date"] is None
    assert body["judgments"][0]["two_thirds_date"] is None
