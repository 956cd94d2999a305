"""The Gjilan demo programme: the Denmark–Kosovo agreement and a facility of exactly 300 places.

Facts from docs/domain-rules.md §1: signed 26 April 2022; 5 years plus 5; 300 places; about 100
places at opening. The opening is planned for April 2027; the demo opens it on 1 April 2026 so that
there is a running prison to show (about 250 inmates placed). The cell layout is illustrative:
three units of 40 single cells and 30 shared two-person cells, every cell within the CPT standards.
"""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, TextIO

from django.db import connection

from program.cells.models import (
    Agreement,
    Cell,
    Facility,
    Outage,
    Place,
    Placement,
    RampUpCap,
    Unit,
)
from program.core.demo import register

AGREEMENT_NAME = "Denmark–Kosovo: prison places at Gjilan"
FACILITY_NAME = "Gjilan prison"
OPENING = date(2026, 4, 1)
# The cap rises in steps after opening (docs/domain-rules.md §1: about 100 at opening, then
# more in steps).
RAMP_UP = [(OPENING, 100), (date(2026, 7, 1), 200), (date(2026, 10, 1), 300)]
UNITS = [("A", "Unit A"), ("B", "Unit B"), ("C", "Unit C")]
SINGLE_CELLS_PER_UNIT = 40
SHARED_CELLS_PER_UNIT = 30  # two places each (9 m², partitioned toilet: floor(9 / 4) = 2)


def _programme(
    *,
    name: str,
    terms: dict[str, Any],
    ramp_up: list[tuple[date, int]],
    facility_name: str,
    facility: dict[str, Any],
) -> tuple[Agreement, bool, Facility, bool]:
    """An agreement with its ramp-up steps and its facility, each made only when missing, so
    that loading the demo twice changes nothing. Says which of the two rows were created."""
    agreement, created = Agreement.objects.get_or_create(name=name, defaults=terms)
    for effective_from, places in ramp_up:
        RampUpCap.objects.get_or_create(
            agreement=agreement, effective_from=effective_from, defaults={"places": places}
        )
    site, site_created = Facility.objects.get_or_create(
        agreement=agreement, name=facility_name, defaults=facility
    )
    return agreement, created, site, site_created


@register(order=10)
def load(out: TextIO) -> None:
    agreement, created, facility, facility_created = _programme(
        name=AGREEMENT_NAME,
        terms={
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
        ramp_up=RAMP_UP,
        facility_name=FACILITY_NAME,
        facility={"location": "Pasjak, near Gjilan", "country": "XK", "opens_on": OPENING},
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


PLACED = 245
RELEASED = 15
RESERVED = 10
OUT_OF_USE_CELLS = ["B-145", "C-112"]  # a shared and a single cell
REFERENCE_DAY = date(2026, 11, 15)  # the demo's placements are laid out up to this day


def _arrival_day(n: int, total: int) -> date:
    """Arrivals spread over each ramp-up step, never more than the step's cap allows."""
    steps = [*RAMP_UP, (REFERENCE_DAY, 0)]
    start = 0
    for (begins, cap), (ends, _next) in pairwise(steps):
        batch = min(cap - start - 5, total - start) if ends != REFERENCE_DAY else total - start
        if n < start + batch:
            span = (ends - begins).days - 1
            return begins + timedelta(days=((n - start) * span) // max(batch, 1))
        start += batch
    return REFERENCE_DAY


@register(order=40)
def load_placements(out: TextIO) -> None:
    """About 250 inmates in place, some released, ten reservations, two cells out of use.

    Done through the placement services, so the demo obeys every rule a user does (the ramp-up
    cap, free places, one place per inmate); fixed dates and order make it the same every time.
    """
    from program.cells import services
    from program.inmates.models import Inmate

    facility = Facility.objects.get(name=FACILITY_NAME)
    if Placement.objects.filter(place__cell__unit__facility=facility).exists():
        out.write("Placements: already there\n")
        return
    for number in OUT_OF_USE_CELLS:
        services.outage_start(
            cell=Cell.objects.get(unit__facility=facility, number=number),
            reason=Outage.Reason.REPAIR,
            note="Water damage after a burst pipe",
            starts_on=date(2026, 11, 1),
            expected_back_on=date(2027, 1, 15),
            actor=None,
        )
    places = list(
        Place.objects.filter(cell__unit__facility=facility, cell__medical_observation=False)
        .exclude(cell__number__in=OUT_OF_USE_CELLS)
        .select_related("cell__unit")
        .order_by("cell__unit__code", "cell__number", "number")
    )
    candidates = list(
        Inmate.objects.filter(
            judgments__sentence_type="fixed_term",
            judgments__final_on__isnull=False,
            expulsion_orders__final=True,
            serious_mental_disorder=False,
            specialist_treatment=False,
            # Still serving at least three months after the demo's day, as transferees must.
            judgments__full_term_date__gt=REFERENCE_DAY + timedelta(days=90),
        )
        .exclude(nationalities__eu_eea=True)
        .exclude(judgments__offence_categories__is_terrorism=True)
        .distinct()
        .order_by("case_number")
        .prefetch_related("judgments")
    )
    admitted = PLACED + RELEASED
    every = admitted // RELEASED
    # Fresh statistics for the tables every admission's capacity check joins: on a new database
    # (or one full of dead test rows, never analysed) the planner otherwise guesses, and one
    # check took seconds instead of a millisecond. ANALYZE sees this transaction's own rows.
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE cells_facility, cells_unit, cells_cell, cells_place, cells_placement"
        )
    for n, inmate in enumerate(candidates[:admitted]):
        on = _arrival_day(n, admitted)
        judgment = inmate.judgments.all()[0]
        placement = services.placement_admit(
            inmate=inmate,
            place=places[n],
            on=on,
            reason="Transfer decision (demo)",
            expected_release_on=max(judgment.full_term_date, on + timedelta(days=30)),
            actor=None,
        )
        if n % every == 5:  # one in `every` was deported early (e.g. expulsion enforced)
            services.placement_release(
                placement=placement,
                on=on + timedelta(days=45),
                end_reason=Placement.EndReason.DEPORTED,
                reason="Deported (demo)",
                actor=None,
            )
    free = [
        place
        for place in places
        if not place.placements.filter(period__contains=REFERENCE_DAY).exists()
    ]
    waiting = candidates[admitted : admitted + RESERVED]
    for place, inmate in zip(free, waiting, strict=False):
        services.reservation_create(
            inmate=inmate,
            place=place,
            arrival_on=date(2026, 12, 10),
            reason="Seat on the December transport (demo)",
            actor=None,
        )
    held = Placement.objects.filter(
        place__cell__unit__facility=facility, period__contains=REFERENCE_DAY, kind="placement"
    ).count()
    out.write(f"Placements: {held} in place on {REFERENCE_DAY}, {len(waiting)} reserved\n")


# A second programme beside Gjilan, so that the demo shows one install holding several: Sweden's
# rented places at Tartu prison in Estonia (priced per inmate-month; its pricing terms belong to
# the finance demo). The numbers are illustrative: 400 places, 100 usable in the first months.
SECOND_AGREEMENT_NAME = "Sweden–Estonia: prison places at Tartu"
SECOND_FACILITY_NAME = "Tartu prison"
SECOND_OPENING = date(2026, 7, 1)
SECOND_RAMP_UP = [(SECOND_OPENING, 100), (date(2027, 1, 1), 400)]
SECOND_CELLS = 60  # one unit of single cells


@register(order=11)
def second_programme(out: TextIO) -> None:
    """The Sweden–Estonia programme: its agreement, ramp-up, facility and a unit of cells.

    The one place that creates it, so that other apps' demo data (pricing terms, rule
    parameters) look it up by SECOND_AGREEMENT_NAME."""
    agreement, created, facility, facility_created = _programme(
        name=SECOND_AGREEMENT_NAME,
        terms={
            "sending_state": "SE",
            "host_state": "EE",
            "sending_authority": "Swedish Prison and Probation Service (Kriminalvården)",
            "host_authority": "Estonian Prison Service (Vanglateenistus)",
            "signed_on": date(2025, 2, 25),
            "in_force_on": date(2026, 1, 1),
            "initial_term_years": 5,
            "extension_years": 5,
            "extension_type": Agreement.ExtensionType.OPTIONAL,
            "contracted_places": 400,
        },
        ramp_up=SECOND_RAMP_UP,
        facility_name=SECOND_FACILITY_NAME,
        facility={"location": "Tartu", "country": "EE", "opens_on": SECOND_OPENING},
    )
    if facility_created:
        unit = Unit.objects.create(facility=facility, code="T1", name="Unit T1")
        Cell.objects.bulk_create(
            Cell(
                unit=unit,
                number=f"T1-{100 + n}",
                kind=Cell.Kind.SINGLE,
                floor_area_m2=Decimal("8.00"),
                sanitary_partitioned=True,
                shortest_wall_m=Decimal("2.50"),
                ceiling_height_m=Decimal("2.70"),
                accessible=n <= 2,
            )
            for n in range(1, SECOND_CELLS + 1)
        )
        Place.objects.bulk_create(
            Place(cell=cell, number=1) for cell in Cell.objects.filter(unit=unit)
        )
    out.write(f"Agreement: {agreement.name} ({'created' if created else 'already there'})\n")


@register(order=105)
def users_work_in_gjilan(out: TextIO) -> None:
    """The demo users work in the Gjilan programme (each may choose another on their pages)."""
    from django.contrib.auth import get_user_model

    from program.core.models import UserPreferences
    from program.core.roles import Role

    gjilan = Agreement.objects.get(name=AGREEMENT_NAME)
    users = get_user_model().objects.filter(groups__name__in=Role.values).distinct()
    chosen = 0
    for user in users:
        _prefs, made = UserPreferences.objects.get_or_create(
            user=user, defaults={"programme": gjilan}
        )
        if not made and _prefs.programme_id is None:
            UserPreferences.objects.filter(pk=_prefs.pk).update(programme=gjilan)
            made = True
        chosen += made
    out.write(f"Programme of the demo users: {gjilan.name} ({chosen} set)\n")
