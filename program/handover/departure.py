"""The departure check transfers asks (registered in HandoverConfig.ready): nobody leaves on a
transport to the host prison without a complete handover record the escort has acknowledged."""

from django.utils.translation import gettext as _

from program.handover import selectors
from transfers.models import TransferCase, TransportBatch


def missing_handovers(case: TransferCase, batch: TransportBatch) -> list[str]:
    if batch.direction != TransportBatch.Direction.TO_HOST:
        return []
    handover = selectors.current_for(case.pk, batch.pk)
    if handover is not None and handover.ready_to_travel:
        return []
    if handover is None:
        why = _("none is started")
    elif handover.completed_at is None:
        why = _("it is not complete")
    else:
        why = _("the escort has not acknowledged it")
    return [
        _(
            "a handover record for %(name)s (case #%(case)s) that the escort has "
            "acknowledged: %(why)s"
        )
        % {"name": case.inmate.name, "case": case.pk, "why": why}
    ]
