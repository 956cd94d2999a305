"""The sanitary partition is a recorded fact of a shared cell, never assumed; a non-association
broken by where two people are placed shows on both records, the unit page and the occupancy
administrator's home page until one of them moves.

Before: an unrecorded partition counted as partitioned (the generous CPT rule), and a
non-association recorded between two people already sharing a unit warned nowhere."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateRange
from django.urls import reverse
from django.utils import timezone

from program.cells import selectors
from program.cells.models import Cell, Placement
from program.inmates.models import NonAssociation
from tests.factories import CellFactory, PlaceFactory
from tests.inmates.factories import InmateFactory, NonAssociationFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _capacity(**fields) -> int:
    cell = CellFactory(**fields)
    cell.refresh_from_db()
    return cell.cpt_capacity


def test_a_shared_cell_whose_partition_is_not_recorded_holds_one() -> None:
    assert _capacity(kind="shared", floor_area_m2=Decimal("9"), sanitary_partitioned=None) == 1
    assert _capacity(kind="shared", floor_area_m2=Decimal("9"), sanitary_partitioned=True) == 2


def test_a_shared_cell_must_record_its_partition_and_a_single_need_not() -> None:
    shared = Cell(
        unit=CellFactory().unit,
        number="S-1",
        kind="shared",
        floor_area_m2=Decimal("9"),
        shortest_wall_m=Decimal("2.4"),
        ceiling_height_m=Decimal("2.8"),
    )
    assert shared.sanitary_partitioned is None  # no default
    with pytest.raises(ValidationError) as refused:
        shared.full_clean()
    assert "sanitary_partitioned" in refused.value.message_dict
    shared.kind = "single"
    shared.full_clean()


def test_the_facility_page_names_a_cell_whose_partition_is_not_recorded(occupancy_admin) -> None:
    cell = CellFactory(kind="shared", floor_area_m2=Decimal("9"), sanitary_partitioned=None)
    body = occupancy_admin.get(
        reverse("cells:facility-detail", args=[cell.unit.facility_id])
    ).content.decode()
    assert 'data-testid="sanitary-unrecorded"' in body


def _placed_together(scope: str = "unit"):
    first_place = PlaceFactory()
    second_place = PlaceFactory(cell=CellFactory(unit=first_place.cell.unit))
    a, b = InmateFactory(name="Aram Abdi"), InmateFactory(name="Bashar Haddad")
    placement_a = PlacementFactory(inmate=a, place=first_place)
    PlacementFactory(inmate=b, place=second_place)
    rule = NonAssociationFactory(
        inmate_a=a,
        inmate_b=b,
        scope=scope,
        active=DateRange(timezone.localdate() - timedelta(days=1), None, "[)"),
    )
    return a, b, placement_a, rule


def test_two_people_kept_apart_by_unit_in_the_same_unit_are_a_breach() -> None:
    a, b, _placement, rule = _placed_together("unit")
    breaches = selectors.non_association_breaches(on=timezone.localdate())
    assert [(x.non_association_id, x.inmate_a_id, x.inmate_b_id) for x in breaches] == [
        (rule.pk, a.pk, b.pk)
    ]


def test_kept_apart_by_cell_but_in_different_cells_of_a_unit_is_no_breach() -> None:
    _placed_together("cell")
    assert selectors.non_association_breaches(on=timezone.localdate()) == []


def test_the_breach_shows_everywhere_until_one_of_them_moves(occupancy_admin, caseworker) -> None:
    a, b, placement_a, _rule = _placed_together("unit")
    home = occupancy_admin.get(reverse("home")).content.decode()
    assert 'data-testid="breaches-panel"' in home
    assert "Aram Abdi" in home
    assert "Bashar Haddad" in home
    unit_page = occupancy_admin.get(
        reverse("cells:unit-detail", args=[placement_a.place.cell.unit_id])
    ).content.decode()
    assert 'data-testid="unit-breaches"' in unit_page
    for person in (a, b):
        caseworker.post(
            reverse("audit:purpose"),
            {
                "subject_type": "inmate",
                "subject_id": person.pk,
                "next": reverse("inmates:detail", args=[person.pk]),
                "purpose": "case work",
            },
        )
        record = caseworker.get(reverse("inmates:detail", args=[person.pk])).content.decode()
        assert 'data-testid="record-breaches"' in record
    # One of them moves out of the unit: the breach is gone from every page.
    today = timezone.localdate()
    Placement.objects.filter(pk=placement_a.pk).update(
        period=DateRange(placement_a.period.lower, today, "[)"), end_reason="moved"
    )
    PlacementFactory(inmate=a, period=DateRange(today, None, "[)"))
    assert selectors.non_association_breaches(on=today) == []
    home = occupancy_admin.get(reverse("home")).content.decode()
    assert 'data-testid="breaches-panel"' not in home


def test_recording_a_non_association_between_people_placed_together_warns(
    occupancy_admin,
) -> None:
    first_place = PlaceFactory()
    a = InmateFactory()
    b = InmateFactory(case_number="KF-OTHER")
    PlacementFactory(inmate=a, place=first_place)
    PlacementFactory(inmate=b, place=PlaceFactory(cell=CellFactory(unit=first_place.cell.unit)))
    response = occupancy_admin.post(
        reverse("inmates:non-association-create", args=[a.pk]),
        {
            "scope": "unit",
            "reason": "Co-defendants",
            "starts_on": timezone.localdate().isoformat(),
            "other_case_number": "KF-OTHER",
        },
        follow=True,
    )
    assert NonAssociation.objects.count() == 1
    assert "already placed together where they must be kept apart" in response.content.decode()
