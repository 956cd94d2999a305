"""The inmate's appeal against the transfer decision: lodging it and recording its outcome.

The window and the appeal apply alike to everybody (the scheduling handler checks both). An
appeal lodged in time but recorded after the booking holds the seat and the reserved place until
its outcome, which can be recorded in every state where the appeal is still open.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError, ConflictError
from transfers.models import CaseEvent, TransferCase
from transfers.moves import APPEAL_OPEN_STATES, AppealInput, S
from transfers.services._common import (
    _changed_meanwhile,
    _copy,
    _event,
    _free_reservation,
    _label,
    _live_manifest,
    _require_read_version,
    _require_role,
)
from transfers.services.machine import MoveContext, case_transition, handles

# The return reason an upheld appeal gives when the person is already on the way or there.
APPEAL_UPHELD_RETURN = "appeal_upheld"


@handles(S.UNDER_APPEAL)
def _lodge(ctx: MoveContext) -> None:
    lodged_on: date = ctx.input.lodged_on or ctx.today
    if lodged_on > ctx.today:
        raise ApplicationError(
            _("An appeal cannot be lodged in the future."),
            details={"lodged_on": ["not after today"]},
        )
    deadline = ctx.case.appeal_deadline
    if deadline is None or lodged_on > deadline:
        ctx.missing.append(
            _("an appeal lodged within the window (it closed on %(date)s)")
            % {"date": deadline.isoformat() if deadline else "—"}
        )
    ctx.fields.update(appeal_lodged_on=lodged_on, appeal_outcome="", appeal_decided_on=None)
    # The day lodged, on the timeline too: the programme report dates the appeal by it.
    ctx.payload["lodged_on"] = lodged_on.isoformat()
    if ctx.frm == S.SCHEDULED:
        ctx.payload["holds_seat"] = True


def _upheld(ctx: MoveContext) -> None:
    case = ctx.case
    ctx.after.append(
        lambda: _free_reservation(
            case, reason=_("Transfer case %(pk)s: appeal upheld") % {"pk": case.pk}, actor=ctx.actor
        )
    )


handles(S.DECIDED_NO_TRANSFER, frm=S.UNDER_APPEAL)(_upheld)
handles(S.DECIDED_NO_TRANSFER, frm=S.SCHEDULED)(_upheld)


@transaction.atomic
def appeal_lodge(
    *,
    case: TransferCase,
    actor: User,
    lodged_on: date | None = None,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Record that the inmate appealed (within the window); from scheduled, the seat is held."""
    return case_transition(
        case=case,
        to=S.UNDER_APPEAL,
        actor=actor,
        text=text,
        data=AppealInput(lodged_on=lodged_on),
        expected_version=expected_version,
    )


@transaction.atomic
def appeal_decide(
    *,
    case: TransferCase,
    outcome: str,
    decided_on: date,
    actor: User,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Record the outcome of the inmate's appeal, in whatever state the open appeal is.

    Upheld: the transfer is off. Before departure the case ends in decided_no_transfer (seat
    and reservation freed); at the host facility its return is pending; on the way, the person
    is refused at the gate on arrival. Rejected: the transfer stands; a case whose seat the
    appeal held is booked again on it. A compare-and-set on the version the caller saw, like
    every move.
    """
    _require_role(actor, "case.manage", _("record the outcome of an appeal"))
    if outcome not in TransferCase.AppealOutcome.values:
        raise ApplicationError(
            _("Choose the appeal's outcome: %(choices)s.")
            % {"choices": ", ".join(TransferCase.AppealOutcome.values)},
            details={"outcome": TransferCase.AppealOutcome.values},
        )
    _require_read_version(case, expected_version)
    if case.state not in APPEAL_OPEN_STATES or not case.appeal_lodged_on or case.appeal_outcome:
        raise ConflictError(
            _("This case has no open appeal (it is %(state)s).") % {"state": _label(case.state)},
            details={"state": case.state, "appeal_outcome": case.appeal_outcome},
        )
    today = timezone.localdate()
    if decided_on > today or decided_on < case.appeal_lodged_on:
        raise ApplicationError(
            _("The appeal is decided between the day it was lodged (%(lodged)s) and today.")
            % {"lodged": case.appeal_lodged_on.isoformat()},
            details={"decided_on": ["between the day lodged and today"]},
        )
    updated = TransferCase.objects.filter(
        pk=case.pk, state=case.state, version=case.version, appeal_outcome=""
    ).update(
        appeal_outcome=outcome,
        appeal_decided_on=decided_on,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    fresh = TransferCase.objects.get(pk=case.pk)
    if not updated:
        raise _changed_meanwhile(fresh)
    _copy(fresh, case)
    _event(
        case,
        CaseEvent.Kind.APPEAL,
        actor=actor,
        text=_("Appeal decided on %(date)s: %(outcome)s.")
        % {"date": decided_on.isoformat(), "outcome": TransferCase.AppealOutcome(outcome).label},
        payload={"outcome": outcome, "decided_on": decided_on.isoformat(), "state": case.state},
    )
    if outcome == TransferCase.AppealOutcome.UPHELD:
        _follow_upheld(case, actor=actor, text=text)
    elif case.state == S.UNDER_APPEAL and _live_manifest(case) is not None:
        # The seat was held for the outcome: booked on it again, when nothing else stops it.
        try:
            with transaction.atomic():
                case_transition(case=case, to=S.SCHEDULED, actor=actor, text=text)
        except ApplicationError:
            case.refresh_from_db()
    return case


def _follow_upheld(case: TransferCase, *, actor: User, text: str) -> None:
    if case.state in (S.UNDER_APPEAL, S.SCHEDULED):
        case_transition(case=case, to=S.DECIDED_NO_TRANSFER, actor=actor, text=text, by_appeal=True)
    elif case.state == S.SERVING:
        case_transition(
            case=case, to=S.RETURN_PENDING, actor=actor, text=text, reason_code=APPEAL_UPHELD_RETURN
        )
