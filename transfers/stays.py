"""The transfer case as the owner of a person's stay at the host facility (program.cells.stays).

Registered in TransfersConfig.ready(). The unit page and the placements API admit and release
through it, so the case makes its move in the same transaction as the place, with the move's
prerequisites, or the action is refused naming the case move to make first.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from program.cells.models import Place, Placement
from program.core.errors import ConflictError
from program.inmates.models import Inmate
from transfers import services
from transfers.models import TransferCase
from transfers.moves import S
from transfers.services._common import _label, _live_manifest

# The state a case must be in before its stay can end in each way, and the move that gets it
# there (named when refusing).
_LEAVES_FROM = {
    S.RETURNED: S.RETURN_PENDING,
    S.DEPORTED: S.RELEASE_PREP,
    S.RELEASED_NOT_REMOVABLE: S.RELEASE_PREP,
}


def _open_case(inmate: Inmate) -> TransferCase:
    case = (
        TransferCase.objects.select_for_update()
        .filter(inmate=inmate, closed_at__isnull=True)
        .first()
    )
    if case is None:
        raise ConflictError(
            _(
                "This person's transfer cases are all closed, so they cannot hold a place at "
                "the host facility. Open a new transfer case first."
            ),
            details={"case": None},
        )
    return case


class TransferStays:
    """Admission and release are outer actions: each owns its transaction, in which the case
    row is locked first and the case's moves (and their place changes) run."""

    def owns(self, inmate: Inmate) -> bool:
        return TransferCase.objects.filter(inmate=inmate).exists()

    @transaction.atomic
    def admit(
        self, *, inmate: Inmate, place: Place, on: date, actor: AbstractBaseUser | None
    ) -> Placement:
        case = _open_case(inmate)
        if case.state != S.IN_TRANSIT:
            raise ConflictError(
                _(
                    "Transfer case #%(pk)s is %(state)s: a person is admitted when their case "
                    "is in transit. Make the case's moves up to %(transit)s first."
                )
                % {"pk": case.pk, "state": _label(case.state), "transit": _label(S.IN_TRANSIT)},
                details={"case": case.pk, "state": case.state, "needs": S.IN_TRANSIT},
            )
        entry = _live_manifest(case)
        reserved = entry.placement if entry else None
        if reserved is not None and reserved.place_id != place.pk:
            raise ConflictError(
                _("Transfer case #%(pk)s holds place %(place)s; admit the person there.")
                % {"pk": case.pk, "place": reserved.place},
                details={"case": case.pk, "place": reserved.place_id},
            )
        services.case_admit(case=case, actor=cast(User, actor), on=on)
        return Placement.objects.get(pk=case.placement_id or 0)

    @transaction.atomic
    def release(
        self, *, placement: Placement, on: date, end_reason: str, actor: AbstractBaseUser | None
    ) -> Placement:
        case = _open_case(placement.inmate)
        to = services.MOVE_FOR_END_REASON.get(Placement.EndReason(end_reason))
        if to is None:
            raise ConflictError(_("Say why the stay ends: deported, returned or released."))
        needed = _LEAVES_FROM[to]
        if case.state != needed:
            raise ConflictError(
                _(
                    "Transfer case #%(pk)s is %(state)s. To record “%(end)s”, move the case to "
                    "%(needed)s first (on the case page); then this ends the stay with it."
                )
                % {
                    "pk": case.pk,
                    "state": _label(case.state),
                    "end": Placement.EndReason(end_reason).label,
                    "needed": _label(needed),
                },
                details={"case": case.pk, "state": case.state, "needs": needed},
            )
        services.case_leave(case=case, to=to, actor=cast(User, actor), on=on)
        return Placement.objects.get(pk=placement.pk)

    def refuse_direct(self, *, inmate: Inmate, action: str) -> None:
        case = TransferCase.objects.filter(inmate=inmate).order_by("-created_at").first()
        raise ConflictError(
            _(
                "This person's place follows transfer case #%(pk)s: a reservation is made by "
                "booking the case on a transport, and ended by rebooking or withdrawing the case."
            )
            % {"pk": case.pk if case else "?"},
            details={"case": case.pk if case else None, "action": action},
        )


STAYS = TransferStays()
