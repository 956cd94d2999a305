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
    # 1 session, 2 user (with its roles and unread count), 3 nationalities in use (filter
    # choices), 4 home institutions (filter choices), 5 count for the paginator, 6 the page of
    # inmates with release date and is_placed as subqueries, 7 their nationalities (prefetch),
    # 8 the access-log row naming everyone on the page (written in the statement that counts
    # the reader's distinct people this hour, the bulk-read check), 9 the header's work-queue
    # counts (the caseworker's "Cases needing my action")
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
    # The same nine: filters are conditions on the same queries, and the one access-log row
    # records the criterion beside the people found.
    with django_assert_num_queries(9):
        response = caseworker.get(
            reverse("inmates:list"),
            {"search": "Inmate", "nationality": "SE", "placed": "yes", "flags": "interpreter"},
        )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("rows", [1, 60])
def test_inmate_api_list_query_count(caseworker, django_assert_num_queries, rows) -> None:
    _inmates(rows)
    # 1 session, 2 user (with its roles), 3 count for pagination, 4 the page of inmates with
    # release date, is_placed and country of return joined, 5 their nationalities, 6 the
    # access-log row naming everyone on the page (with the bulk-read count, one statement)
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
    # 1 session, 2 user (with its roles and unread count), 3 the inmate with its annotations,
    # its nationalities, its judgments (each with its offence groups' names) and its expulsion
    # orders read in its own row, 4 placements with place, cell, unit and facility joined, 5 the
    # access-log row for this view, 6 non-associations broken today (one query for all), 7 the
    # record links: transfer cases, incidents, complaints and the family-contact counts, every
    # registered provider's rows in one UNION ALL (program/inmates/record_links.py), 8 the
    # header's work-queue count, 9 non-associations with both inmates joined
    with django_assert_num_queries(9):
        response = caseworker.get(reverse("inmates:detail", args=[inmate.pk]))
    assert response.status_code == 200
