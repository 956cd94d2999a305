"""The handover's panels on the transfer case page and the transport page: one line each in
those templates, so transfers imports nothing of the handover."""

from typing import Any

from django import template

from program.core.policy import allows
from program.core.roles import user_roles
from program.handover import selectors
from transfers.models import ManifestEntry, TransferCase, TransportBatch

register = template.Library()

S = TransferCase.State
# Before arrival, while the handover is work to do (no query in any other state, so the
# pages of serving cases cost what they did).
SEATED = frozenset({S.SCHEDULED, S.UNDER_APPEAL, S.IN_TRANSIT})


@register.inclusion_tag("handover/_case_panel.html", takes_context=True)
def case_handover(context: template.Context, case: TransferCase) -> dict[str, Any]:
    """The handover of the case's seat on its transport out: two queries, none when the case
    holds no seat or the reader may not open handovers."""
    request = context["request"]
    if case.state not in SEATED or not allows("handover:detail", user_roles(request.user)):
        return {"shown": False}
    seat = selectors.live_seat(case)
    if seat is None:
        return {"shown": False}
    return {
        "shown": True,
        "case": case,
        "seat": seat,
        "handover": selectors.current_for(case.pk, seat.batch_id),
    }


@register.inclusion_tag("handover/_batch_panel.html", takes_context=True)
def batch_handovers(
    context: template.Context, batch: TransportBatch, manifest: list[ManifestEntry]
) -> dict[str, Any]:
    """Each person's handover on the transport page: read with the manifest when the page
    annotated it (transfers/seat_annotations.py, no query here), else one query for all."""
    request = context["request"]
    live = [entry for entry in manifest if entry.removed_at is None]
    if (
        batch.direction != TransportBatch.Direction.TO_HOST
        or not live
        or not allows("handover:detail", user_roles(request.user))
    ):
        return {"shown": False}
    if all(hasattr(entry, "handover_row") for entry in live):
        return {
            "shown": True,
            "rows": [
                (entry, selectors.handover_of_row(getattr(entry, "handover_row", None)))
                for entry in live
            ],
        }
    records = selectors.current_by_case(batch.pk, [entry.case_id for entry in live])
    return {
        "shown": True,
        "rows": [(entry, records.get(entry.case_id)) for entry in live],
    }
