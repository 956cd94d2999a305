"""Reads for the unit page and the placements API: who or what holds each place on a day.

The unit grid costs the same five queries whatever the unit's size: the unit, its cells, their
places, the placements and reservations holding those places on or after the day, and the outages
on the day. Everything else is put together in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import DateField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from program.cells.models import Cell, Facility, Outage, Place, Placement, Unit

FREE = "free"
OCCUPIED = "occupied"
RESERVED = "reserved"
OUT_OF_USE = "out_of_use"

STATUS_LABELS = {
    FREE: _("Free"),
    OCCUPIED: _("Occupied"),
    RESERVED: _("Reserved"),
    OUT_OF_USE: _("Out of use"),
}
STATUS_HINTS = {
    FREE: _("Nobody is placed or expected; the place can be used."),
    OCCUPIED: _("An inmate is placed; initials and expected release are shown."),
    RESERVED: _("Held for an expected arrival; initials and arrival date are shown."),
    OUT_OF_USE: _("Cell or place out of use; reason and expected return are shown."),
}


def place_label(place: Place) -> str:
    """How people name a place: the cell number and the place's number in it ("A-101-1")."""
    return f"{place.cell.number}-{place.number}"


def place_queryset() -> QuerySet[Place]:
    return Place.objects.select_related("cell__unit__facility")


def _holding(on: date) -> QuerySet[Placement]:
    """Placements and reservations that hold a place on `on` or on any later day."""
    return Placement.objects.filter(period__overlap=DateRange(on, None)).exclude(
        end_reason=Placement.EndReason.CANCELLED
    )


def placement_queryset() -> QuerySet[Placement]:
    """Placements with what their pages and endpoints show, joined in the same query."""
    return Placement.objects.select_related("inmate", "place__cell__unit")


def _with_release_on(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    # The expected release: the one given at admission, else the combined full-term date of
    # all the person's judgments.
    return placements.annotate(
        release_on=Coalesce("expected_release_on", "inmate__release_on", output_field=DateField())
    )


@dataclass(frozen=True)
class PlaceTile:
    place: Place
    label: str
    status: str
    # The hold on the day; or, when the place is free or out of use, the next one ahead.
    placement: Placement | None = None
    outage: Outage | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def initials(self) -> str:
        return self.placement.inmate.initials if self.placement is not None else ""

    @property
    def starts_on(self) -> date | None:
        return self.placement.period.lower if self.placement is not None else None

    @property
    def release_on(self) -> date | None:
        return getattr(self.placement, "release_on", None)

    def arrival_overdue(self, today: date) -> bool:
        """A reservation whose arrival day has passed and nobody was admitted: the person is
        late, or the reservation should be cancelled."""
        return self.status == RESERVED and self.starts_on is not None and self.starts_on < today


@dataclass(frozen=True)
class CellRow:
    cell: Cell
    tiles: list[PlaceTile]
    outage: Outage | None  # the whole cell out of use on the day


@dataclass(frozen=True)
class LegendEntry:
    status: str
    label: str
    hint: str
    count: int


@dataclass(frozen=True)
class UnitGrid:
    unit: Unit
    on: date
    rows: list[CellRow]
    legend: list[LegendEntry] = field(default_factory=list)
    # Places reserved only from a later day: the occupancy page counts them free on `on`.
    reserved_later: int = 0
    # Reservations whose arrival day has passed (on a view of today or later).
    overdue: int = 0
    # Which tiles are shown ("" for all; a status to show only those).
    show: str = ""

    def shown_rows(self) -> list[CellRow]:
        """The cells and places the page shows: all of them, or those of one status (a cell
        with none of them is left out, which keeps the "free places only" view short)."""
        if not self.show:
            return self.rows
        rows = []
        for row in self.rows:
            tiles = [tile for tile in row.tiles if tile.status == self.show]
            if tiles:
                rows.append(CellRow(cell=row.cell, tiles=tiles, outage=row.outage))
        return rows


def _tile(place: Place, on: date, holds: list[Placement], outage: Outage | None) -> PlaceTile:
    current = next((p for p in holds if p.period.lower <= on), None)
    label = place_label(place)
    if current is not None:
        status = OCCUPIED if current.kind == Placement.Kind.PLACEMENT else RESERVED
        return PlaceTile(place, label, status, placement=current, outage=outage)
    upcoming = holds[0] if holds else None
    if outage is not None:
        return PlaceTile(place, label, OUT_OF_USE, placement=upcoming, outage=outage)
    if upcoming is not None:
        # Held from a later day: the place cannot be given to anyone else now.
        status = OCCUPIED if upcoming.kind == Placement.Kind.PLACEMENT else RESERVED
        return PlaceTile(place, label, status, placement=upcoming)
    return PlaceTile(place, label, FREE)


def unit_grid(*, unit_id: int, on: date, show: str = "", today: date | None = None) -> UnitGrid:
    """Every cell of the unit with a tile for each place as it stands on `on`; `show` narrows
    the page to one status (the counts stay the unit's)."""
    unit = Unit.objects.select_related("facility").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit.")
    cells = list(
        Cell.objects.filter(unit=unit)
        .order_by("number")
        .prefetch_related(Prefetch("places", queryset=Place.objects.order_by("number")))
    )
    holds_by_place: dict[int, list[Placement]] = defaultdict(list)
    for hold in (
        _with_release_on(_holding(on).filter(place__cell__unit=unit))
        .select_related("inmate")
        .order_by("period")
    ):
        holds_by_place[hold.place_id].append(hold)
    cell_outages: dict[int, Outage] = {}
    place_outages: dict[int, Outage] = {}
    for outage in Outage.objects.filter(
        Q(cell__unit=unit) | Q(place__cell__unit=unit), period__contains=on
    ):
        if outage.cell_id is not None:
            cell_outages[outage.cell_id] = outage
        elif outage.place_id is not None:
            place_outages[outage.place_id] = outage
    rows = []
    counts: dict[str, int] = dict.fromkeys(STATUS_LABELS, 0)
    reserved_later = overdue = 0
    for cell in cells:
        tiles = []
        for place in cell.places.all():
            tile = _tile(
                place,
                on,
                holds_by_place.get(place.pk, []),
                place_outages.get(place.pk) or cell_outages.get(cell.pk),
            )
            counts[tile.status] += 1
            if tile.status == RESERVED and tile.starts_on is not None and tile.starts_on > on:
                reserved_later += 1
            if today is not None and on >= today and tile.arrival_overdue(on):
                overdue += 1
            tiles.append(tile)
        rows.append(CellRow(cell=cell, tiles=tiles, outage=cell_outages.get(cell.pk)))
    legend = [
        LegendEntry(status, str(label), str(STATUS_HINTS[status]), counts[status])
        for status, label in STATUS_LABELS.items()
    ]
    return UnitGrid(
        unit=unit,
        on=on,
        rows=rows,
        legend=legend,
        reserved_later=reserved_later,
        overdue=overdue,
        show=show if show in STATUS_LABELS else "",
    )


def in_use_and_unheld(places: QuerySet[Place], *, on: date) -> QuerySet[Place]:
    """Those of `places` that nobody holds from `on` on and that are not out of use on `on`."""
    held = _holding(on).filter(place_id=OuterRef("pk"))
    out = Outage.objects.filter(
        Q(place_id=OuterRef("pk")) | Q(cell_id=OuterRef("cell_id")), period__contains=on
    )
    return places.exclude(Exists(held)).exclude(Exists(out))


def free_places(*, facility: Facility, on: date) -> QuerySet[Place]:
    """The places of a facility an inmate could be admitted or moved to on `on`."""
    return in_use_and_unheld(
        place_queryset()
        .filter(cell__unit__facility=facility)
        .order_by("cell__unit__code", "cell__number", "number"),
        on=on,
    )


def reservation_ahead(*, place: Place, on: date) -> Placement | None:
    """The reservation holding the place on or after `on`, if any (to take it up on admission)."""
    return (
        _holding(on)
        .filter(place=place, kind=Placement.Kind.RESERVATION)
        .select_related("inmate")
        .order_by("period")
        .first()
    )


def placements_active_on(placements: QuerySet[Placement], on: date) -> QuerySet[Placement]:
    return placements.filter(period__contains=on).exclude(end_reason=Placement.EndReason.CANCELLED)
