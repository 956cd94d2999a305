"""What the host facility's pages need to know about people on their way, asked through a
registry (the transfer case and its transport belong to the transfers app, which depends on
this one; TransfersConfig.ready() registers its answer).

The host app asks three things: who is expected at a facility (the transports due and the
people on them), one arriving person by their transfer case, and to send a person back at the
gate. The admission itself goes through program.cells.stays, the same path as the occupancy
administrator's admission on the unit page, so the case, its place and its transport move in
one transaction whoever admits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser

from program.cells.models import Facility


@dataclass(frozen=True)
class ArrivingPerson:
    """One person booked on a transport to the facility, with what the gate needs to know who
    they are: no conviction, offence or health data."""

    case_id: int
    inmate_id: int
    name: str
    case_number: str  # the person's Danish case number (KF-…)
    date_of_birth: date
    nationalities: tuple[str, ...]
    place_id: int
    place_label: str
    unit_name: str
    facility_id: int
    transport_id: int
    departs_on: date
    # True once the transport has left (the case is in transit): only then can they arrive.
    on_the_way: bool


@dataclass(frozen=True)
class ArrivingTransport:
    transport_id: int
    departs_on: date
    escort: str
    people: tuple[ArrivingPerson, ...]


class ArrivalSource(Protocol):
    def expected(self, *, facility: Facility, start: date, end: date) -> list[ArrivingTransport]:
        """The transports to the facility departing between start and end (inclusive), with
        the people on them whose arrival has not been recorded."""

    def person(self, *, case_id: int) -> ArrivingPerson | None:
        """The arriving person of this transfer case (None: not booked on a transport)."""

    def refuse_at_gate(self, *, case_id: int, reason: str, actor: AbstractBaseUser) -> None:
        """Send the person back: the case is returned and the reserved place freed (joins the
        caller's transaction; refuses naming what blocks it)."""


_sources: list[ArrivalSource] = []


def register(source: ArrivalSource) -> None:
    if source not in _sources:
        _sources.append(source)


def source() -> ArrivalSource:
    if not _sources:
        raise LookupError("No arrival source is registered (the transfers app registers one).")
    return _sources[0]
