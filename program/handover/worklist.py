"""The handover list's rows, each with the record in force: for the Danish side everyone with a
seat on a transport out who has not left or is on the way; for the host facility's staff the
people handed over to their facility on a transport of the last RECENT_DAYS days (arriving or
just arrived, whom they acknowledge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from program.core.capabilities import holds
from program.core.roles import user_roles
from program.handover import selectors
from program.handover.models import Handover
from program.host.selectors import posted_facility
from transfers.models import ManifestEntry, TransferCase, TransportBatch

S = TransferCase.State
TRAVELLING = (S.SCHEDULED, S.IN_TRANSIT)
ARRIVING = (S.IN_TRANSIT, S.ADMITTED, S.SERVING)
RECENT_DAYS = 30


@dataclass(frozen=True)
class Row:
    entry: ManifestEntry
    handover: Handover | None

    @property
    def case(self) -> TransferCase:
        return self.entry.case


def rows_for(user: AbstractBaseUser | AnonymousUser) -> list[Row]:
    """Two queries: the seats, then the records in force on them."""
    roles = user_roles(user)
    seats = (
        ManifestEntry.objects.select_related("case__inmate", "batch")
        .filter(
            removed_at__isnull=True,
            batch__direction=TransportBatch.Direction.TO_HOST,
            case__state__in=TRAVELLING,
        )
        .order_by("batch__departs_on", "batch_id", "case__inmate__name", "case_id")
    )
    host_only = not holds(roles, "handover.read.every")
    if host_only:
        facility = posted_facility(user)
        if facility is None or not holds(roles, "host.work"):
            return []
        seats = (
            ManifestEntry.objects.select_related("case__inmate", "batch")
            .filter(
                removed_at__isnull=True,
                batch__direction=TransportBatch.Direction.TO_HOST,
                batch__departs_on__gte=timezone.localdate() - timedelta(days=RECENT_DAYS),
                case__state__in=ARRIVING,
                placement__place__cell__unit__facility=facility,
            )
            .order_by("-batch__departs_on", "batch_id", "case__inmate__name", "case_id")
        )
    entries = list(seats[:500])
    records = {
        (record.case_id, record.batch_id): record
        for record in selectors.visible_to(user)
        .select_related(None)
        .filter(
            superseded_at__isnull=True,
            case_id__in=[entry.case_id for entry in entries],
        )
        .only(
            "pk",
            "case_id",
            "batch_id",
            "completed_at",
            "escort_acknowledged_at",
            "arrival_acknowledged_at",
            "superseded_at",
        )
    }
    rows = [Row(entry, records.get((entry.case_id, entry.batch_id))) for entry in entries]
    if host_only:
        rows = [row for row in rows if row.handover is not None]
    return rows
