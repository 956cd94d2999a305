"""The Gjilan demo programme: the Denmark–Kosovo agreement and a facility of exactly 300 places.

Facts from programme-facts §1: signed 26 April 2022; 5 years plus 5; 300 places; about 100
places at opening (planned for April 2027). The cell layout is illustrative: three units of 40
single cells and 30 shared two-person cells, every cell within the CPT standards.
"""

from datetime import date
from decimal import Decimal
from typing import TextIO

from program.cells.models import Agreement, Cell, Facility, Place, RampUpCap, Unit
from program.core.demo import register

AGREEMENT_NAME = "Denmark–Kosovo: prison places at Gjilan"
FACILITY_NAME = "Gjilan prison"
OPENING = date(2027, 4, 1)
UNITS = [("A", "Unit A"), ("B", "Unit B"), ("C", "Unit C")]
SINGLE_CELLS_PER_UNIT = 40
SHARED_CELLS_PER_UNIT = 30  # two places each (9 m², partitioned toilet: floor(9 / 4) = 2)


@register(order=10)
def load(out: TextIO) -> None:
    agreement, created = Agreement.objects.get_or_create(
        name=AGREEMENT_NAME,
        defaults={
            "sending_state": "DK",
            "host_state": "XK",
            "sending_authority": "Danish Prison and Probation Service (Kriminalforsorgen)",
            "host_authority": "Kosovo Correctional Service",
            "signed_on": date(2022, 4, 26),
            "initial_term_years": 5,
            "extension_years": 5,
            "extension_type": Agreement.ExtensionType.AUTOMATIC,
            "contracted_places": 300,
        },
    )
    RampUpCap.objects.get_or_create(
        agreement=agreement, effective_from=OPENING, defaults={"places": 100}
    )
    facility, facility_created = Facility.objects.get_or_create(
        agreement=agreement,
        name=FACILITY_NAME,
        defaults={"location": "Pasjak, near Gjilan", "country": "XK", "opens_on": OPENING},
    )
    if facility_created:
        _build_cells(facility)
    places = Place.objects.filter(cell__unit__facility=facility).count()
    out.write(f"Agreement: {agreement.name} ({'created' if created else 'already there'})\n")
    out.write(f"Facility: {facility.name}, {places} places\n")


def _build_cells(facility: Facility) -> None:
    cells: list[Cell] = []
    for code, name in UNITS:
        unit = Unit.objects.create(facility=facility, code=code, name=name)
        for n in range(1, SINGLE_CELLS_PER_UNIT + SHARED_CELLS_PER_UNIT + 1):
            shared = n > SINGLE_CELLS_PER_UNIT
            cells.append(
                Cell(
                    unit=unit,
                    number=f"{code}-{100 + n}",
                    kind=Cell.Kind.SHARED if shared else Cell.Kind.SINGLE,
                    floor_area_m2=Decimal("9.00") if shared else Decimal("7.50"),
                    sanitary_partitioned=True,
                    shortest_wall_m=Decimal("2.40"),
                    ceiling_height_m=Decimal("2.80"),
                    medical_observation=code == "A" and n <= 2,
                    accessible=n in (3, 4),
                )
            )
    Cell.objects.bulk_create(cells)
    places = [
        Place(cell=cell, number=number)
        for cell in Cell.objects.filter(unit__facility=facility)
        for number in range(1, (2 if cell.kind == Cell.Kind.SHARED else 1) + 1)
    ]
    Place.objects.bulk_create(places)
