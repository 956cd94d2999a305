"""The inmate list page and list endpoint cost the same queries for one row as for a full page."""

import pytest
from django.urls import reverse

from program.cells.models import Placement
from tests.factories import PlaceFactory
from tests.inmates.factories import InmateFactory, JudgmentFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _inmates(n: int) -> None:
    """n inmates with two nationalities, two judgments and a placement each: everything the list
    shows, so an N+1 would show up as a count that grows with n."""
    for i in range(n):
        inmate = InmateFactory(
            nationalities=["SE", "IQ"], home_institution=f"Prison {i % 3}", interpreter_needed=True
        )
        JudgmentFactory(inmate=inmate)
        JudgmentFactory(inmate=inmate, judgment_date=inmate.date_of_birth.replace(year=2020))
        PlacementFactory(inmate=inmate, place=PlaceFactory(), kind=Placement.Kind.PLACEMENT)


@pytest.mark.parametrize("rows", [1, 60])
def test_inmate_list_page_query_count(caseworker, django_assert_num_queries, rows) -> None:
    _inmates(rows)
    # 1 session, 2 user, 3 user's groups (roles), 4 nationalities in use (filter choices),
    # 5 home institutions (filter choices), 6 count for the paginator, 7 the page of inmates
    # with release date and is_placed as subqueries, 8 their nationalities (prefetch),
    # 9 the unread-notification count in the header
    with django_assert_num_queries(9):
        response = caseworker.get(reverse("inmates:list"), {"order": "release_date"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows
    assert len(response.context["page"].object_list) == min(rows, 50)


@pytest.mark.parametrize("rows", [1, 60])
def test_inmate_list_page_query_count_with_filters(
    caseworker, django_assert_num_queries, rows
) -> None:
    _inmates(rows)
    # The same nine (filters are conditions on the same queries), and 10 the access-log row
    # that records the search and its criterion.
    with django_assert_num_queries(10):
        response = caseworker.get(
            reverse("inmates:list"),
            {"search": "Inmate", "nationality": "SE", "placed": "yes", "flags": "interpreter"},
        )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", [1, 60])
def test_inmate_api_list_query_count(caseworker, django_assert_num_queries, rows) -> None:
    _inmates(rows)
    # 1 session, 2 user, 3 user's groups (roles), 4 count for pagination, 5 the page of inmates
    # with release date, is_placed and country of return joined, 6 their nationalities
    with django_assert_num_queries(6):
        response = caseworker.get("/api/v1/inmates/", {"ordering": "-release_date"})
    assert response.status_code == 200
    assert response.json()["count"] == rows
    assert len(response.json()["results"]) == min(rows, 50)


@pytest.mark.parametrize("judgments", [1, 8])
def test_inmate_record_page_query_count(caseworker, django_assert_num_queries, judgments) -> None:
    inmate = InmateFactory(nationalities=["SE", "IQ"])
    for _ in range(judgments):
        JudgmentFactory(inmate=inmate)
    PlacementFactory(inmate=inmate)
    caseworker.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": inmate.pk,
            "next": reverse("inmates:detail", args=[inmate.pk]),
            "purpose": "occupancy",
        },
    )
    # 1 session, 2 user, 3 roles, 4 the inmate with its annotations, 5 nationalities,
    # 6 judgments, 7 their offence categories, 8 expulsion orders, 9 placements with place,
    # cell, unit and facility joined, 10 non-associations with both inmates joined,
    # 11 the access-log row for this view, 12 the unread-notification count in the header
    with django_assert_num_queries(12):
        response = caseworker.get(reverse("inmates:detail", args=[inmate.pk]))
    assert response.status_code == 200
