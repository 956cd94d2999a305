"""Reads of handover records, scoped to the reader's role at the base queryset.

Health staff, caseworkers, the occupancy administrator and the auditor read every record; a
host-facility officer or manager reads only the records handed over to their own facility (the
escort has acknowledged them). Who reads the health details is minimisation's question
(program/handover/minimisation.py), not the queryset's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery

from program.core import json_rows
from program.core.capabilities import can
from program.handover.models import Handover
from program.host.selectors import posted_facility
from transfers.models import ManifestEntry, TransferCase, TransportBatch


def handover_queryset() -> QuerySet[Handover]:
    return Handover.objects.select_related(
        "case__inmate",
        "batch",
        "facility",
        "completed_by",
        "escort_recorded_by",
        "arrival_acknowledged_by",
        "health_reviewed_by",
    )


def visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Handover]:
    """The records this user may open (none for a role without handovers)."""
    records = handover_queryset()
    if can(user, "handover.read.every"):
        return records
    if can(user, "host.work"):
        facility = posted_facility(user)
        if facility is None:
            return records.none()
        return records.filter(facility=facility, escort_acknowledged_at__isnull=False)
    return records.none()


def current_for(case_id: int, batch_id: int) -> Handover | None:
    return (
        handover_queryset()
        .filter(case_id=case_id, batch_id=batch_id, superseded_at__isnull=True)
        .first()
    )


def current_by_case(batch_id: int, case_ids: list[int]) -> dict[int, Handover]:
    """The record in force of each of these people on the transport, in one query."""
    return {
        handover.case_id: handover
        for handover in Handover.objects.filter(
            batch_id=batch_id, case_id__in=case_ids, superseded_at__isnull=True
        )
    }


def seat_handover_row() -> Subquery:
    """The record in force of the person on a seat, as a JSON object read with the seat's row
    (an annotation of the manifest: OuterRef case_id and batch_id)."""
    return json_rows.json_first(
        Handover.objects.filter(
            batch_id=OuterRef("batch_id"),
            case_id=OuterRef("case_id"),
            superseded_at__isnull=True,
        )
    )


def handover_of_row(row: dict[str, Any] | None) -> Handover | None:
    return json_rows.instance(Handover, row)


def live_seat(case: TransferCase) -> ManifestEntry | None:
    """The case's seat on a transport out to the host prison, with its reserved place."""
    return (
        ManifestEntry.objects.select_related("batch", "placement__place__cell__unit__facility")
        .filter(
            case=case,
            removed_at__isnull=True,
            batch__direction=TransportBatch.Direction.TO_HOST,
        )
        .first()
    )


def editions(handover: Handover, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Handover]:
    """Every edition of this person's record for this transport the user may read, newest
    first (one query)."""
    return (
        visible_to(user)
        .filter(case_id=handover.case_id, batch_id=handover.batch_id)
        .order_by("-edition")
    )


def handover_list(
    user: AbstractBaseUser | AnonymousUser,
    *,
    batch_id: int | None = None,
    case_id: int | None = None,
    current_only: bool = True,
) -> QuerySet[Handover]:
    records = visible_to(user)
    if current_only:
        records = records.filter(superseded_at__isnull=True)
    if batch_id is not None:
        records = records.filter(batch_id=batch_id)
    if case_id is not None:
        records = records.filter(case_id=case_id)
    return records.order_by("-batch__departs_on", "batch_id", "case__inmate__name", "-edition")
