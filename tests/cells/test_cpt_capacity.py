"""The CPT living-space rules C1–C3 (docs/domain-rules.md §4), enforced by PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from program.cells.models import Cell, Place
from tests.factories import CellFactory, PlaceFactory


def _capacity(**fields) -> int:
    cell = CellFactory(**fields)
    cell.refresh_from_db()
    return cell.cpt_capacity


@pytest.mark.django_db
def test_c1_a_7_5_m2_double_cell_with_a_partitioned_toilet_holds_one() -> None:
    assert _capacity(kind="shared", floor_area_m2=Decimal("7.5"), sanitary_partitioned=True) == 1


@pytest.mark.django_db
def test_c2_an_8_m2_shared_cell_holds_two() -> None:
    assert _capacity(kind="shared", floor_area_m2=Decimal("8.0")) == 2


@pytest.mark.django_db
def test_c3_a_5_5_m2_single_cell_holds_nobody() -> None:
    assert _capacity(kind="single", floor_area_m2=Decimal("5.5")) == 0


@pytest.mark.django_db
def test_a_shared_cell_without_a_partitioned_toilet_holds_at_most_one() -> None:
    assert _capacity(kind="shared", floor_area_m2=Decimal("12"), sanitary_partitioned=False) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("wall", "ceiling"), [(Decimal("1.99"), Decimal("2.8")), (Decimal("2.4"), Decimal("2.49"))]
)
def test_a_cell_too_narrow_or_too_low_holds_nobody(wall, ceiling) -> None:
    assert (
        _capacity(
            kind="single",
            floor_area_m2=Decimal("9"),
            shortest_wall_m=wall,
            ceiling_height_m=ceiling,
        )
        == 0
    )


@pytest.mark.django_db
def test_the_database_refuses_a_place_beyond_the_cells_capacity() -> None:
    cell = CellFactory(kind="shared", floor_area_m2=Decimal("8.0"))
    PlaceFactory(cell=cell, number=1)
    PlaceFactory(cell=cell, number=2)
    with pytest.raises(IntegrityError, match="CPT standards allow 2"), transaction.atomic():
        Place.objects.create(cell=cell, number=3)
    assert cell.places.count() == 2


@pytest.mark.django_db
def test_shrinking_a_cell_below_its_places_is_refused() -> None:
    cell = CellFactory(kind="shared", floor_area_m2=Decimal("8.0"))
    PlaceFactory(cell=cell, number=1)
    PlaceFactory(cell=cell, number=2)
    with pytest.raises(IntegrityError, match="allow only 1"), transaction.atomic():
        Cell.objects.filter(pk=cell.pk).update(floor_area_m2=Decimal("7.0"))
