"""Demo handovers: every person on the demo's transports out gets one. Those already on the way
have a complete record the escort acknowledged (a departure needs it); those booked on the
December transport have a record being filled in, one complete. A few alerts: an interpreter
need, a diet, and a medication in transit with its health details. Written directly, as the
transfers demo writes its cases; idempotent."""

from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from program.core.demo import register
from program.core.roles import Role
from program.handover.models import Handover
from transfers.models import ManifestEntry, TransferCase, TransportBatch

S = TransferCase.State


@register(order=56)
def load(out: TextIO) -> None:
    if Handover.objects.exists():
        out.write(f"Handovers: {Handover.objects.count()} (already there)\n")
        return
    caseworker = get_user_model().objects.filter(username=Role.CASEWORKER.value).first()
    if caseworker is None:
        return
    entries = list(
        ManifestEntry.objects.select_related(
            "case__inmate", "batch", "placement__place__cell__unit__facility"
        )
        .filter(
            removed_at__isnull=True,
            batch__direction=TransportBatch.Direction.TO_HOST,
            placement__isnull=False,
            case__state__in=[S.SCHEDULED, S.IN_TRANSIT, S.ADMITTED, S.SERVING],
        )
        .order_by("batch__departs_on", "case_id")
    )
    now = timezone.now()
    records = []
    for number, entry in enumerate(entries):
        departed = entry.case.state != S.SCHEDULED
        left = now - timedelta(days=max((timezone.localdate() - entry.batch.departs_on).days, 0))
        record = Handover(
            case=entry.case,
            batch=entry.batch,
            facility=entry.placement.place.cell.unit.facility,  # type: ignore[union-attr]
            created_by=caseworker,
            updated_by=caseworker,
            health_reviewed_by=caseworker if departed or number % 3 == 0 else None,
            health_reviewed_at=now if departed or number % 3 == 0 else None,
        )
        if number % 4 == 0:
            record.interpreter = True
            record.interpreter_language = (entry.case.inmate.languages or ["Arabic"])[0]
            record.interpreter_todo = (
                "Use the telephone interpreter for anything about health or rights."
            )
        if number % 4 == 1:
            record.diet = True
            record.diet_todo = "Halal meals; no pork. Tell the kitchen on arrival."
        if number % 4 == 2:
            record.medication = True
            record.medication_todo = (
                "Medication travels with the escort's nurse, sealed; given at 08 and 20."
            )
            record.health_details = (
                "Insulin-dependent diabetes: insulin twice a day, blood sugar before meals."
            )
        if departed or number % 3 == 0:
            record.completed_at = left
            record.completed_by = caseworker
        if departed:
            record.escort_officer = "Officer M. Madsen"
            record.escort_recorded_by = caseworker
            record.escort_acknowledged_at = left
        records.append(record)
    Handover.objects.bulk_create(records)
    out.write(f"Handovers: {len(records)}\n")
