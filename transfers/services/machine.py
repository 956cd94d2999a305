"""The state machine: one handler per move, run by case_transition.

A move is looked up in the table (transfers/moves.py), its typed input parsed (every missing field
named at once), and then checked: documents, records, the eligibility guard and the move's own
handler each add what is missing, and the move is refused naming all of it. Only then the
compare-and-set runs, followed by the handler's side effects in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError, ConflictError
from transfers import eligibility, move_inputs, selectors
from transfers.models import (
    CaseEvent,
    Document,
    ReasonCode,
    ReleasePreparation,
    Screening,
    TransferCase,
    missing_release_steps,
)
from transfers.moves import MOVES, REQUIRED_DOCUMENTS, Move, S, moves_from
from transfers.services._common import _cas, _event, _label, _reason, _require_read_version
from transfers.services._common import _require_role as require_role
from transfers.services.waiting import tell_after_move


@dataclass
class MoveContext:
    case: TransferCase
    frm: str
    to: str
    move: Move
    actor: User
    input: Any
    text: str
    reason: ReasonCode | None
    today: date
    params: eligibility.Params
    fields: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)


Check = Callable[[MoveContext], None]
# (from, to) → the move's own check; (None, to) applies from every state.
HANDLERS: dict[tuple[str | None, str], Check] = {}


def handles(to: str, *, frm: str | None = None) -> Callable[[Check], Check]:
    """Register a move's handler: it names what is missing, sets fields, and queues its apply."""

    def register(check: Check) -> Check:
        HANDLERS[(frm, to)] = check
        return check

    return register


def _missing_documents(case: TransferCase, to: str) -> list[str]:
    needed = REQUIRED_DOCUMENTS.get(to, ())
    have = set(Document.objects.filter(case=case, kind__in=needed).values_list("kind", flat=True))
    return [
        _("the document %(kind)s") % {"kind": Document.Kind(kind).label}
        for kind in needed
        if kind not in have
    ]


def _missing_records(case: TransferCase, move: Move) -> list[str]:
    missing: list[str] = []
    if "release_preparation" in move.requires:
        missing += missing_release_steps(ReleasePreparation.objects.filter(case=case).first())
    return missing


def screening_in_force(ctx: MoveContext) -> Screening | None:
    """The eligibility guard: a current screening (re-screened here when stale) that allows it.

    Names what fails: the failing rules with their reasons, or the review still to be done.
    """
    case = ctx.case
    latest = selectors.latest_screening(case)
    oldest_current = ctx.today - timedelta(days=ctx.params.screening_max_age_days)
    if latest is None or latest.screened_on < oldest_current:
        # Imported here: screening imports nothing of the machine, but the machine runs first.
        from transfers.services.screening import screenings_run

        run = screenings_run(
            inmate_ids=[case.inmate_id], on=ctx.today, only_changes=False, actor=ctx.actor
        )
        latest = run.screenings[0] if run.screenings else None
        ctx.payload["rescreened"] = True
    if latest is None:
        ctx.missing.append(_("a screening of the inmate"))
        return None
    # What the move relied on, kept with it: the screening and how recent it was then.
    ctx.payload["screening"] = latest.pk
    ctx.payload["screened_on"] = latest.screened_on.isoformat()
    if latest.outcome == Screening.Outcome.INELIGIBLE:
        failed = [
            f"{result['id']}: {result['reason']}"
            for result in latest.results
            if result.get("outcome") == eligibility.FAIL and result.get("kind") == eligibility.HARD
        ]
        ctx.missing.append(
            _("an eligible screening (screened %(on)s: not eligible; %(rules)s)")
            % {"on": latest.screened_on.isoformat(), "rules": "; ".join(failed)}
        )
    elif latest.outcome == Screening.Outcome.NEEDS_REVIEW and not review_resolved(case, latest):
        ctx.missing.append(
            _("the review of the screening of %(on)s (it needs review)")
            % {"on": latest.screened_on.isoformat()}
        )
    return latest


def review_resolved(case: TransferCase, screening: Screening) -> bool:
    """A caseworker resolved a review of this same result (same fingerprint) as eligible."""
    return CaseEvent.objects.filter(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        from_state=S.NEEDS_REVIEW,
        to_state=S.ELIGIBLE,
        payload__reviewed_fingerprint=screening.fingerprint,
    ).exists()


def refuse_missing(ctx: MoveContext) -> None:
    if ctx.missing:
        raise ConflictError(
            _("%(from)s → %(to)s needs first: %(missing)s.")
            % {"from": _label(ctx.frm), "to": _label(ctx.to), "missing": "; ".join(ctx.missing)},
            details={"missing": [str(item) for item in ctx.missing]},
        )


@transaction.atomic
def case_transition(
    *,
    case: TransferCase,
    to: str,
    actor: User,
    reason_code: str = "",
    text: str = "",
    data: Any = None,
    expected_version: int | None = None,
    by_appeal: bool = False,
) -> TransferCase:
    """Move a case to `to`, if its role owns the move and the case is ready for it.

    Already in `to` (and no move from a state to itself): a no-op. An illegal move, a lost race
    or anything missing: a ConflictError naming all of it. With expected_version (the version the
    caller read), a case moved since then is refused first, with who moved it and when (412 over
    the API). `data` is the move's typed input or a dict of its fields. Side effects on places
    happen in this transaction. Called by the typed services and by appeal_decide (by_appeal),
    it joins their transaction.
    """
    if to not in S.values:
        raise ApplicationError(_("Unknown state %(to)s.") % {"to": to}, details={"to": S.values})
    _require_read_version(case, expected_version)
    move = MOVES.get((case.state, to))
    if case.state == to and move is None:
        return case
    if move is None or (move.by_appeal and not by_appeal):
        allowed = [t for t, m in moves_from(case.state) if not m.by_appeal]
        raise ConflictError(
            _("A case cannot move from %(from)s to %(to)s. From here: %(allowed)s.")
            % {
                "from": _label(case.state),
                "to": _label(to),
                "allowed": ", ".join(_label(t) for t in allowed) or "—",
            },
            details={"state": case.state, "allowed": allowed},
        )
    require_role(
        actor,
        move.capability,
        _("move a case from %(a)s to %(b)s") % {"a": _label(case.state), "b": _label(to)},
    )
    reason = _reason(reason_code, move.reason) if move.reason else None
    ctx = MoveContext(
        case=case,
        frm=case.state,
        to=to,
        move=move,
        actor=actor,
        input=move_inputs.parse(move.input, data),
        text=text.strip(),
        reason=reason,
        today=timezone.localdate(),
        params=eligibility.params_load(case.agreement_id),
    )
    ctx.missing += _missing_documents(case, to)
    ctx.missing += _missing_records(case, move)
    if move.screened:
        screening_in_force(ctx)
    check = HANDLERS.get((ctx.frm, to)) or HANDLERS.get((None, to))
    if check is not None:
        check(ctx)
    refuse_missing(ctx)
    if not _cas(case, to, **ctx.fields) and ctx.frm != to:
        return case
    for apply in ctx.after:
        apply()
    _event(
        case,
        CaseEvent.Kind.TRANSITION,
        actor=actor,
        from_state=ctx.frm,
        to_state=to,
        reason_code=reason,
        text=ctx.text,
        payload=ctx.payload,
    )
    tell_after_move(case=case, frm=ctx.frm, to=to, actor=actor)
    return case
