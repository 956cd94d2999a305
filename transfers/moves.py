"""The transfer case's state machine as one table: who owns each move, what it needs.

Services, selectors, views and the API import it from here; nothing re-declares it. Each move has
a typed input (a frozen dataclass, empty for most moves): the page's form, the API's request body
and the template's fields are all derived from it (transfers/move_inputs.py), so they cannot
disagree. Moves with an input have their own API endpoint (`endpoint`); the generic transitions
endpoint takes only the moves without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from program.cells.models import Place
from program.core.capabilities import holds, roles_with
from transfers.models import Document, ReasonCode, TransferCase, TransportBatch

S = TransferCase.State
# Who may make each move is a capability (transfers/capabilities.py): the caseworker's own
# steps ("case.manage"); an arrival, recorded by the occupancy administrator or the host
# facility's staff at the gate ("case.arrival.record"); the end of a stay, from the case page or
# the unit page ("case.stay.end").


# Final states: no move leaves them. A "no transfer" decision (also an upheld appeal) is final:
# new facts mean a new case.
CLOSED_STATES = frozenset(
    {
        S.DECIDED_NO_TRANSFER,
        S.RETURNED,
        S.DEPORTED,
        S.RELEASED_NOT_REMOVABLE,
        S.WITHDRAWN,
        S.CLOSED_INELIGIBLE,
    }
)
SCREENABLE_STATES = frozenset({S.IDENTIFIED, S.SCREENING, S.ELIGIBLE, S.INELIGIBLE, S.NEEDS_REVIEW})
# Before the decision: the nightly sweep screens these.
PRE_DECISION_STATES = SCREENABLE_STATES | {S.PROPOSED, S.HOST_REVIEW}
# Withdrawal from any open state before the inmate is on the way; after that the stay ends
# by a return, a deportation or a release, which free the place.
WITHDRAWABLE_STATES = PRE_DECISION_STATES | {
    S.DECIDED_TRANSFER,
    S.NOTIFIED,
    S.UNDER_APPEAL,
    S.SCHEDULED,
}
# The states in which the person may hold a place at the host facility, by kind of hold. The
# database holds the same rule (transfers migration 0006). Under appeal keeps a reservation only
# when the appeal was lodged after the case was booked: the seat waits for the outcome.
RESERVATION_STATES = frozenset({S.SCHEDULED, S.IN_TRANSIT, S.UNDER_APPEAL})
PLACEMENT_STATES = frozenset({S.ADMITTED, S.SERVING, S.RELEASE_PREP, S.RETURN_PENDING})
# Where an appeal lodged in time may still be open, and its outcome can be recorded.
# In transit the outcome is recorded; the return (if upheld) is the refusal at the gate.
APPEAL_OPEN_STATES = frozenset({S.UNDER_APPEAL, S.SCHEDULED, S.IN_TRANSIT, S.SERVING})

REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    S.PROPOSED: (
        Document.Kind.JUDGMENT,
        Document.Kind.EXPULSION_ORDER,
        Document.Kind.MEDICAL_FITNESS,
    ),
    S.DECIDED_TRANSFER: (Document.Kind.OPINION_RECORD,),
    S.NOTIFIED: (Document.Kind.DECISION_LETTER, Document.Kind.NOTIFICATION_RECEIPT),
    S.IN_TRANSIT: (Document.Kind.TRANSPORT_MANIFEST,),
}


def _meta(label: Any, help_text: Any = "") -> dict[str, Any]:
    return {"label": label, "help": help_text}


# --- The typed inputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoInput:
    """A move that needs nothing beyond its reason and note."""


@dataclass(frozen=True)
class NotifyInput:
    notified_on: date = field(
        metadata=_meta(_("Notified on"), _("The day the inmate was told of the decision."))
    )
    language: str = field(
        metadata=_meta(_("Language"), _("The language the inmate was notified in."))
    )


@dataclass(frozen=True)
class AppealInput:
    lodged_on: date | None = field(
        default=None,
        metadata=_meta(_("Appeal lodged on"), _("Within the appeal window; today when empty.")),
    )


@dataclass(frozen=True)
class ScheduleInput:
    batch: TransportBatch | None = field(
        default=None,
        metadata=_meta(
            _("Transport"),
            _("A transport out to the host prison. Empty: keep the seat the case already holds."),
        ),
    )
    place: Place | None = field(
        default=None,
        metadata=_meta(_("Place"), _("Empty: the first free place from the departure day.")),
    )


@dataclass(frozen=True)
class DepartInput:
    on: date | None = field(
        default=None,
        metadata=_meta(
            _("Departed on"), _("On or after the transport's departure day; today when empty.")
        ),
    )


@dataclass(frozen=True)
class ArriveInput:
    on: date | None = field(
        default=None,
        metadata=_meta(_("Arrived on"), _("The day of arrival; today when empty.")),
    )


@dataclass(frozen=True)
class LeaveInput:
    on: date | None = field(
        default=None,
        metadata=_meta(_("Leaves on"), _("The day the stay ends; today when empty.")),
    )


# --- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    capability: str  # who may make the move (program.core.capabilities)
    reason: str | None = None  # the ReasonCode.AppliesTo a coded reason must carry
    input: type = NoInput  # the typed input; NoInput for most moves
    # Records on the case that must be complete first, named on refusal.
    requires: tuple[str, ...] = field(default=())
    # Needs a current, eligible screening (from the decision to the departure).
    screened: bool = False
    # The move's own API endpoint, under /transfer-cases/{id}/ (moves with an input).
    endpoint: str = ""
    # Only as the consequence of an appeal's outcome, never chosen on its own.
    by_appeal: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return roles_with(self.capability)

    @property
    def has_input(self) -> bool:
        return self.input is not NoInput


def _notify() -> Move:
    return Move("case.manage", input=NotifyInput, screened=True, endpoint="notification")


def _appeal() -> Move:
    return Move("case.manage", input=AppealInput, endpoint="appeal")


def _schedule() -> Move:
    return Move("case.manage", input=ScheduleInput, screened=True, endpoint="schedule")


def _leave(capability: str, endpoint: str, **extra: Any) -> Move:
    return Move(capability, input=LeaveInput, endpoint=endpoint, **extra)


MOVES: dict[tuple[str, str], Move] = {
    (S.IDENTIFIED, S.SCREENING): Move("case.manage"),
    (S.NEEDS_REVIEW, S.ELIGIBLE): Move("case.manage"),
    (S.NEEDS_REVIEW, S.INELIGIBLE): Move("case.manage", reason=ReasonCode.AppliesTo.REJECTION),
    # The rules exclude the person: closed as not eligible, which is not a withdrawal.
    (S.INELIGIBLE, S.CLOSED_INELIGIBLE): Move("case.manage", reason=ReasonCode.AppliesTo.REJECTION),
    (S.ELIGIBLE, S.PROPOSED): Move("case.manage"),
    (S.PROPOSED, S.HOST_REVIEW): Move("case.manage"),
    (S.HOST_REVIEW, S.DECIDED_TRANSFER): Move("case.manage", screened=True),
    (S.HOST_REVIEW, S.DECIDED_NO_TRANSFER): Move(
        "case.manage", reason=ReasonCode.AppliesTo.REJECTION
    ),
    (S.DECIDED_TRANSFER, S.NOTIFIED): _notify(),
    (S.NOTIFIED, S.UNDER_APPEAL): _appeal(),
    # An appeal lodged in time but recorded after the booking: the seat and place wait for it.
    (S.SCHEDULED, S.UNDER_APPEAL): _appeal(),
    (S.NOTIFIED, S.SCHEDULED): _schedule(),
    (S.UNDER_APPEAL, S.SCHEDULED): _schedule(),
    # Rebooking onto another transport: the seat and the reservation move together.
    (S.SCHEDULED, S.SCHEDULED): Move(
        "case.manage", input=ScheduleInput, screened=True, endpoint="rebook"
    ),
    (S.UNDER_APPEAL, S.DECIDED_NO_TRANSFER): Move("case.manage", by_appeal=True),
    (S.SCHEDULED, S.DECIDED_NO_TRANSFER): Move("case.manage", by_appeal=True),
    (S.SCHEDULED, S.IN_TRANSIT): Move(
        "case.manage", input=DepartInput, screened=True, endpoint="departure"
    ),
    (S.IN_TRANSIT, S.ADMITTED): Move(
        "case.arrival.record", input=ArriveInput, endpoint="admission"
    ),
    # A refusal at the gate: the inmate goes back, the reserved place is freed.
    (S.IN_TRANSIT, S.RETURNED): Move("case.arrival.record", reason=ReasonCode.AppliesTo.RETURN),
    (S.ADMITTED, S.SERVING): Move("case.arrival.record"),
    (S.SERVING, S.RETURN_PENDING): Move("case.manage", reason=ReasonCode.AppliesTo.RETURN),
    (S.RELEASE_PREP, S.RETURN_PENDING): Move("case.manage", reason=ReasonCode.AppliesTo.RETURN),
    (S.RETURN_PENDING, S.RETURNED): _leave("case.stay.end", "return"),
    (S.SERVING, S.RELEASE_PREP): Move("case.manage"),
    # Removal needs the travel document, the country's acceptance and the flight; a release of
    # someone who cannot be removed does not.
    (S.RELEASE_PREP, S.DEPORTED): _leave(
        "case.stay.end", "deportation", requires=("release_preparation",)
    ),
    (S.RELEASE_PREP, S.RELEASED_NOT_REMOVABLE): _leave("case.stay.end", "release"),
    **{
        (state, S.WITHDRAWN): Move("case.manage", reason=ReasonCode.AppliesTo.WITHDRAWAL)
        for state in WITHDRAWABLE_STATES
    },
}

# Each input-needing move's endpoint names one input type, whichever state it leaves from.
ENDPOINTS: dict[str, tuple[str, type]] = {
    move.endpoint: (to, move.input) for (_frm, to), move in MOVES.items() if move.endpoint
}
# The targets the generic transitions endpoint accepts: some move to them needs no input.
PLAIN_TARGETS: tuple[str, ...] = tuple(
    sorted({to for (frm, to), move in MOVES.items() if not move.has_input and not move.by_appeal})
)


def moves_from(state: str) -> list[tuple[str, Move]]:
    return [(to, move) for (frm, to), move in MOVES.items() if frm == state]


def moves_for(*, case: TransferCase, roles: frozenset[str]) -> list[tuple[str, Move]]:
    """The moves this role may choose from the case's state (the case page's action list)."""
    return [
        (to, move)
        for to, move in moves_from(case.state)
        if holds(roles, move.capability) and not move.by_appeal
    ]


# What a move's button says: what the caseworker does, not the state the case lands in. Keyed
# by the target state; a move whose meaning depends on where it starts has its own entry.
ACTION_LABELS: dict[str, Any] = {
    S.SCREENING: _("Start screening"),
    S.ELIGIBLE: _("Confirm as eligible"),
    S.INELIGIBLE: _("Find not eligible"),
    S.CLOSED_INELIGIBLE: _("Close as not eligible"),
    S.PROPOSED: _("Propose the transfer"),
    S.HOST_REVIEW: _("Send to the host for review"),
    S.DECIDED_TRANSFER: _("Confirm the decision to transfer"),
    S.DECIDED_NO_TRANSFER: _("Confirm the decision not to transfer"),
    S.NOTIFIED: _("Record the notification"),
    S.UNDER_APPEAL: _("Record an appeal"),
    S.SCHEDULED: _("Book on a transport"),
    S.IN_TRANSIT: _("Record the departure"),
    S.ADMITTED: _("Record the arrival"),
    S.SERVING: _("Start the sentence here"),
    S.RETURN_PENDING: _("Begin a return to Denmark"),
    S.RETURNED: _("Record the return"),
    S.RELEASE_PREP: _("Begin release preparation"),
    S.DEPORTED: _("Record the deportation"),
    S.RELEASED_NOT_REMOVABLE: _("Record the release (cannot be removed)"),
    S.WITHDRAWN: _("Withdraw the case"),
}
_ACTION_LABELS_FROM: dict[tuple[str, str], Any] = {
    (S.IN_TRANSIT, S.RETURNED): _("Refuse at the gate and send back"),
    (S.SCHEDULED, S.SCHEDULED): _("Rebook on another transport"),
}


def action_label(frm: str, to: str) -> str:
    """The button text of the move from `frm` to `to`."""
    return str(_ACTION_LABELS_FROM.get((frm, to)) or ACTION_LABELS[to])
