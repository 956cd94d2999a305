"""The transfer cases as the host facility's source of arrivals (program.host.arrivals).

Registered in TransfersConfig.ready(). The host facility's pages list the transports due at
their facility and the people on them, and refuse a person at the gate through the case's own
move (in transit → returned, with the coded reason "gate_refusal" and the officer's words), so
the case, its seat and its reserved place stay one truth.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from program.cells.models import Facility
from program.cells.unit_view import place_label
from program.core.errors import ConflictError
from program.host.arrivals import ArrivingPerson, ArrivingTransport
from program.inmates.models import Country
from transfers.models import ManifestEntry, TransferCase, TransportBatch
from transfers.moves import S
from transfers.services.machine import case_transition

# The reason code every refusal at the gate carries (the programme report counts by it); the
# officer's own words go into the move's text.
GATE_REFUSAL = "gate_refusal"
ARRIVING_STATES = (S.SCHEDULED, S.IN_TRANSIT)


def _entries() -> QuerySet[ManifestEntry]:
    """Live seats of cases still on their way out, with what the gate shows (three queries:
    the seats with case, person, place and transport; the nationalities)."""
    return (
        ManifestEntry.objects.filter(
            removed_at__isnull=True,
            batch__direction=TransportBatch.Direction.TO_HOST,
            case__state__in=ARRIVING_STATES,
            placement__isnull=False,
        )
        .select_related("batch", "case__inmate", "placement__place__cell__unit")
        .prefetch_related(
            Prefetch("case__inmate__nationalities", queryset=Country.objects.order_by("name"))
        )
        .order_by("batch__departs_on", "batch_id", "case__inmate__name", "case_id")
    )


def _person(entry: ManifestEntry) -> ArrivingPerson:
    inmate = entry.case.inmate
    place = entry.placement.place  # type: ignore[union-attr]
    return ArrivingPerson(
        case_id=entry.case_id,
        inmate_id=inmate.pk,
        name=inmate.name,
        case_number=inmate.case_number,
        date_of_birth=inmate.date_of_birth,
        nationalities=tuple(str(country.name) for country in inmate.nationalities.all()),
        place_id=place.pk,
        place_label=place_label(place),
        unit_name=place.cell.unit.name,
        facility_id=place.cell.unit.facility_id,
        transport_id=entry.batch_id,
        departs_on=entry.batch.departs_on,
        on_the_way=entry.case.state == S.IN_TRANSIT,
    )


class TransferArrivals:
    def expected(self, *, facility: Facility, start: date, end: date) -> list[ArrivingTransport]:
        # Everyone already on the way is expected until checked in, however late; booked
        # people are shown for the transports of the period.
        entries = _entries().filter(
            Q(batch__departs_on__range=(start, end))
            | Q(case__state=S.IN_TRANSIT, batch__departs_on__lte=end),
            placement__place__cell__unit__facility=facility,
        )
        people: dict[int, list[ArrivingPerson]] = defaultdict(list)
        batches: dict[int, TransportBatch] = {}
        for entry in entries:
            batches[entry.batch_id] = entry.batch
            people[entry.batch_id].append(_person(entry))
        return [
            ArrivingTransport(
                transport_id=pk,
                departs_on=batch.departs_on,
                escort=batch.escort,
                people=tuple(people[pk]),
            )
            for pk, batch in batches.items()
        ]

    def person(self, *, case_id: int) -> ArrivingPerson | None:
        entry = _entries().filter(case_id=case_id).first()
        return _person(entry) if entry is not None else None

    def refuse_at_gate(self, *, case_id: int, reason: str, actor: AbstractBaseUser) -> None:
        case = TransferCase.objects.select_for_update().filter(pk=case_id).first()
        if case is None or case.state != S.IN_TRANSIT:
            raise ConflictError(
                _("Only a person whose transport has left can be refused at the gate."),
                details={"case": case_id},
            )
        case_transition(
            case=case,
            to=S.RETURNED,
            actor=cast(User, actor),
            reason_code=GATE_REFUSAL,
            text=reason,
        )


ARRIVALS = TransferArrivals()
