"""Who owns a person's stay, asked before the unit page or the placements API change it.

`cells` owns places, capacity and the roll; the stay of a person who came through a transfer case
belongs to that case, in an app that depends on this one. So this module declares the small
protocol such an owner implements and a registry it joins from its AppConfig.ready(); the unit
page and the placements API call the functions below instead of the place services directly.
With no owner, or a person the owner does not know, the place services act alone. Each
function hands over to one service, which owns the transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from program.cells import services
from program.cells.models import Place, Placement
from program.inmates.models import Inmate


class StayOwner(Protocol):
    def owns(self, inmate: Inmate) -> bool:
        """Whether this person's stay belongs to the owner (they have a transfer case)."""

    def admit(
        self, *, inmate: Inmate, place: Place, on: date, actor: AbstractBaseUser | None
    ) -> Placement:
        """Admit the person through their case's move, or refuse naming the move to make."""

    def release(
        self, *, placement: Placement, on: date, end_reason: str, actor: AbstractBaseUser | None
    ) -> Placement:
        """End the stay through the case's move (with its prerequisites), or refuse naming it."""

    def refuse_direct(self, *, inmate: Inmate, action: str) -> None:
        """Refuse a reservation or its cancellation made outside the case, naming the case."""


_owners: list[StayOwner] = []


def register(owner: StayOwner) -> None:
    if owner not in _owners:
        _owners.append(owner)


def owner_of(inmate: Inmate) -> StayOwner | None:
    return next((owner for owner in _owners if owner.owns(inmate)), None)


def stay_admit(
    *,
    inmate: Inmate,
    place: Place,
    on: date,
    reason: str,
    expected_release_on: date | None = None,
    actor: AbstractBaseUser | None,
) -> Placement:
    """Admit through the owner of the stay when there is one (the case moves with the place)."""
    owner = owner_of(inmate)
    if owner is not None:
        # The owner's move checks its own capability (an arrival: the occupancy administrator
        # or the host facility's staff at the gate).
        return owner.admit(inmate=inmate, place=place, on=on, actor=actor)
    services.require_capability(actor, "placement.admit", _("admit someone to a place"))
    return services.placement_admit(
        inmate=inmate,
        place=place,
        on=on,
        reason=reason,
        expected_release_on=expected_release_on,
        actor=actor,
    )


def stay_release(
    *,
    placement: Placement,
    on: date,
    end_reason: str,
    reason: str = "",
    actor: AbstractBaseUser | None,
) -> Placement:
    """End a placement through the owner of the stay when there is one."""
    owner = owner_of(placement.inmate)
    if owner is not None:
        # The owner's move checks its own capability (the end of a stay).
        return owner.release(placement=placement, on=on, end_reason=end_reason, actor=actor)
    services.require_capability(actor, "placement.release", _("end a stay"))
    return services.placement_release(
        placement=placement, on=on, end_reason=end_reason, reason=reason, actor=actor
    )


def stay_reserve(
    *, inmate: Inmate, place: Place, arrival_on: date, reason: str, actor: AbstractBaseUser | None
) -> Placement:
    services.require_capability(actor, "placement.reserve", _("reserve a place"))
    owner = owner_of(inmate)
    if owner is not None:
        owner.refuse_direct(inmate=inmate, action="reserve")
    return services.reservation_create(
        inmate=inmate, place=place, arrival_on=arrival_on, reason=reason, actor=actor
    )


def stay_cancel(
    *, reservation: Placement, reason: str, actor: AbstractBaseUser | None
) -> Placement:
    services.require_capability(actor, "reservation.cancel", _("cancel a reservation"))
    owner = owner_of(reservation.inmate)
    if owner is not None:
        owner.refuse_direct(inmate=reservation.inmate, action="cancel")
    return services.reservation_cancel(reservation=reservation, reason=reason, actor=actor)
