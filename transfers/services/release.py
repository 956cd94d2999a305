"""The end of a stay at the host facility: return to Denmark, deportation, release.

The placement ends in the same transaction as the case's move, whether it is made on the case
page, on the unit page or through the placements API (program.cells.stays).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from program.cells import services as cells_services
from program.cells.models import Placement
from program.core.errors import ApplicationError
from program.inmates.models import Judgment
from transfers.models import ReleasePreparation, TransferCase
from transfers.moves import LeaveInput, S
from transfers.services._common import _label
from transfers.services.machine import MoveContext, case_transition, handles

END_REASONS = {
    S.RETURNED: Placement.EndReason.RETURNED,
    S.DEPORTED: Placement.EndReason.DEPORTED,
    S.RELEASED_NOT_REMOVABLE: Placement.EndReason.RELEASED,
}
# The case move a placement's end reason stands for (the unit page and placements API).
MOVE_FOR_END_REASON = {reason: state for state, reason in END_REASONS.items()}


def _end_stay(ctx: MoveContext) -> None:
    case = ctx.case
    placement = (
        Placement.objects.filter(pk=case.placement_id).first() if case.placement_id else None
    )
    if placement is None or placement.kind != Placement.Kind.PLACEMENT or placement.end_reason:
        ctx.missing.append(_("a placement at the host facility to end"))
        return
    on: date = ctx.input.on or ctx.today
    if on <= placement.period.lower:
        ctx.missing.append(
            _("a leaving day after the admission (%(start)s)")
            % {"start": placement.period.lower.isoformat()}
        )
    if ctx.to == S.DEPORTED:
        preparation = ReleasePreparation.objects.filter(case=case).first()
        flight_on = preparation.flight_on if preparation else None
        if flight_on is not None and on < flight_on:
            ctx.missing.append(
                _("the flight date (%(date)s): a deportation is not dated before it")
                % {"date": flight_on.isoformat()}
            )
        release_on = (
            Judgment.objects.filter(inmate_id=case.inmate_id)
            .order_by("-judgment_date")
            .values_list("full_term_date", flat=True)
            .first()
        )
        if release_on is not None and on < release_on:
            ctx.missing.append(
                _("the release date (%(date)s): a deportation is not dated before it")
                % {"date": release_on.isoformat()}
            )
    end_reason = END_REASONS[S(ctx.to)]

    def release() -> None:
        # Placement holds the row lock and says if it ended meanwhile.
        cells_services.placement_release(
            placement=placement,
            on=on,
            end_reason=end_reason,
            reason=_label(ctx.to),
            actor=ctx.actor,
        )
        ctx.payload.update(placement=placement.pk, on=on.isoformat())

    ctx.after.append(release)


handles(S.RETURNED, frm=S.RETURN_PENDING)(_end_stay)
handles(S.DEPORTED)(_end_stay)
handles(S.RELEASED_NOT_REMOVABLE)(_end_stay)


@transaction.atomic
def case_leave(
    *,
    case: TransferCase,
    to: str,
    actor: User,
    on: date | None = None,
    text: str = "",
    reason_code: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """End the stay: returned (from return pending), deported or released not removable (from
    release preparation). The placement ends on `on` (today when not given) in this transaction.
    """
    if to not in END_REASONS:
        raise ApplicationError(
            _("A stay ends as returned, deported or released not removable."),
            details={"to": sorted(END_REASONS)},
        )
    return case_transition(
        case=case,
        to=to,
        actor=actor,
        text=text,
        reason_code=reason_code,
        data=LeaveInput(on=on),
        expected_version=expected_version,
    )
