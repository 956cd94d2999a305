"""The unit page's counts: re-sent after every action, explained beside the occupancy page's, an
overdue arrival flagged, and a view of the free places only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from program.cells import services
from tests.cells import test_unit_view as grid_tests
from tests.cells.test_unit_view import HTMX, action_url, make_inmate, new_place, unit_url
from tests.factories import CellFactory

# The unit page's own fixtures: a unit with one place of each kind.
unit = grid_tests.unit
ward = grid_tests.ward

pytestmark = pytest.mark.django_db


def test_an_htmx_admission_sends_the_new_counts_out_of_band(occupancy_admin, ward) -> None:
    make_inmate("KF-3", "Ib Kasper Jensen")
    response = occupancy_admin.post(
        action_url("cells:place-admit", ward["free"].pk),
        {"inmate": "KF-3", "on": "2027-05-03", "reason": "Transfer decision"},
        headers=HTMX,
    )
    body = response.content.decode()
    legend = body[body.index('<div id="unit-legend" hx-swap-oob="outerHTML">') :]
    assert ">Occupied</span> <strong>2</strong>" in legend
    assert ">Free</span> <strong>0</strong>" in legend


def test_a_place_reserved_from_a_later_day_is_explained(occupancy_admin, ward) -> None:
    # Reserved from 2027-05-10, viewed on 2027-05-03: reserved here, free on the occupancy page.
    body = occupancy_admin.get(unit_url(ward["reserved"].cell.unit)).content.decode()
    assert "1 of them is reserved from a later day" in body
    assert "the occupancy page counts it as free until then" in body


def test_a_reservation_past_its_arrival_day_is_flagged_in_words(occupancy_admin, ward) -> None:
    today = timezone.localdate()
    services.reservation_create(
        inmate=make_inmate("KF-4", "Jens Late"),
        place=ward["free"],
        arrival_on=today - timedelta(days=3),
        reason="Booked",
        actor=None,
    )
    body = occupancy_admin.get(unit_url(ward["free"].cell.unit, today)).content.decode()
    assert 'data-testid="arrival-overdue"' in body
    assert "Arrival overdue: admit the person or cancel the reservation." in body
    assert "1 reservation's arrival date has passed." in body
    # Looking back at a day before the arrival, nothing is overdue yet.
    earlier = today - timedelta(days=5)
    body = occupancy_admin.get(unit_url(ward["free"].cell.unit, earlier)).content.decode()
    assert 'data-testid="arrival-overdue"' not in body


def test_free_places_only_leaves_out_the_other_places_and_their_cells(
    occupancy_admin, ward
) -> None:
    shown = ward["free"].cell.unit
    new_place(cell=CellFactory(unit=shown, number="A-105"))
    body = occupancy_admin.get(unit_url(shown) + "&show=free").content.decode()
    assert body.count('data-testid="place-tile"') == 2
    assert 'data-place="A-104-1"' in body
    assert 'data-place="A-105-1"' in body
    assert "Cell A-101" not in body
    # The counts stay the whole unit's.
    assert ">Occupied</span> <strong>1</strong>" in body
    assert '<strong aria-current="page">Free places only</strong>' in body


def test_an_unknown_show_value_shows_every_place(occupancy_admin, ward) -> None:
    body = occupancy_admin.get(unit_url(ward["free"].cell.unit) + "&show=nonsense").content.decode()
    assert body.count('data-testid="place-tile"') == 4


def test_the_occupancy_page_explains_what_it_counts_as_reserved(occupancy_admin, ward) -> None:
    body = occupancy_admin.get("/programme/occupancy/").content.decode()
    assert 'data-testid="reserved-explained"' in body
