import pytest
from django.urls import reverse

from tests.factories import (
    AgreementFactory,
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    RampUpCapFactory,
)


def _facility_with_cells(n: int):
    facility = FacilityFactory()
    for _ in range(n):
        PlaceFactory(cell=CellFactory(unit__facility=facility))
    return facility


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 12])
def test_agreement_list_page_query_count(caseworker, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        AgreementFactory()
    # session, user (with roles and unread count), the user's programme, the header's work-queue
    # counts, the programme choices, agreements with facility counts
    with django_assert_num_queries(6):
        response = caseworker.get(reverse("cells:agreement-list"))
    assert response.status_code == 200
    assert response.content.decode().count("/programme/agreements/") >= rows


@pytest.mark.django_db
def test_agreement_page_shows_term_ramp_up_and_facilities(caseworker) -> None:
    agreement = AgreementFactory(name="Denmark–Kosovo")
    RampUpCapFactory(agreement=agreement, places=100)
    FacilityFactory(agreement=agreement, name="Gjilan prison")
    body = caseworker.get(reverse("cells:agreement-detail", args=[agreement.pk])).content.decode()
    assert "Denmark–Kosovo" in body
    assert "Gjilan prison" in body
    assert "5 years, then a optional extension of 5 years" in body or "extension of 5 years" in body
    assert ">100<" in body


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 8])
def test_facility_list_page_query_count(occupancy_admin, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        _facility_with_cells(2)
    # session, user (with roles), facilities with their counts, the header's counts
    with django_assert_num_queries(4):
        response = occupancy_admin.get(reverse("cells:facility-list"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("cells", [1, 20])
def test_facility_page_query_count(occupancy_admin, django_assert_num_queries, cells) -> None:
    facility = _facility_with_cells(cells)
    # session, user (with roles), facility, units, units' cells, capacity: totals, places, single,
    # shared; the header's counts
    with django_assert_num_queries(10):
        response = occupancy_admin.get(reverse("cells:facility-detail", args=[facility.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<td>C-") == cells


@pytest.mark.django_db
def test_an_unknown_facility_is_a_404(occupancy_admin) -> None:
    assert occupancy_admin.get(reverse("cells:facility-detail", args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 15])
def test_cell_api_list_query_count(occupancy_admin, django_assert_num_queries, rows) -> None:
    facility = _facility_with_cells(rows)
    # session, user (with roles), count for pagination, the page of cells
    with django_assert_num_queries(4):
        response = occupancy_admin.get("/api/v1/cells/", {"facility": facility.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == rows
    assert body["results"][0]["cpt_capacity"] == 1
    assert body["results"][0]["place_count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 10])
def test_agreement_api_list_query_count(caseworker, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        RampUpCapFactory(agreement=FacilityFactory(agreement=AgreementFactory()).agreement)
    # session, user (with roles), count, agreements, their caps, their facilities
    with django_assert_num_queries(6):
        response = caseworker.get("/api/v1/agreements/")
    assert response.json()["count"] == rows
    assert response.json()["results"][0]["ramp_up_caps"] == [
        {"effective_from": "2027-04-01", "places": 100}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 6])
def test_facility_api_list_query_count(occupancy_admin, django_assert_num_queries, rows) -> None:
    for _ in range(rows):
        _facility_with_cells(3)
    # session, user (with roles), count, facilities with their counts
    with django_assert_num_queries(4):
        response = occupancy_admin.get("/api/v1/facilities/")
    assert response.json()["results"][0]["place_count"] == 3
