"""Opening a case, the inmate's opinion, the decision, rule parameters, and the handlers of the
moves before the transport (screening, proposal, decision, notification, withdrawal)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells import programmes
from program.cells import selectors as cells_selectors
from program.cells.models import Agreement
from program.core.errors import ApplicationError, ConflictError
from program.inmates.models import Inmate
from transfers import eligibility, selectors
from transfers.models import (
    CaseEvent,
    Decision,
    EligibilityRuleParameter,
    InmateOpinion,
    TransferCase,
)
from transfers.moves import PRE_DECISION_STATES, NotifyInput, S
from transfers.services._common import (
    _event,
    _free_reservation,
    _label,
    _live_manifest,
    _require_role,
)
from transfers.services.machine import MoveContext, case_transition, handles

__all__ = ["case_transition"]


@transaction.atomic
def case_open(
    *,
    inmate: Inmate,
    actor: User,
    caseworker: User | None = None,
    agreement: Agreement | None = None,
) -> TransferCase:
    """Open a case in `identified` in a programme: the one given, else the actor's (their
    choice, or the only one). Refused when the inmate already has an open case."""
    _require_role(actor, "case.open", _("open a transfer case"))
    programme = programmes.programme_for_new_work(user=actor, chosen=agreement)
    try:
        with transaction.atomic():
            case = TransferCase.objects.create(
                inmate=inmate, agreement=programme, caseworker=caseworker or actor
            )
    except IntegrityError as error:
        open_case = TransferCase.objects.filter(inmate=inmate, closed_at__isnull=True).first()
        raise ConflictError(
            _("This inmate already has an open transfer case (#%(pk)s).")
            % {"pk": open_case.pk if open_case else "?"},
            details={"case": open_case.pk if open_case else None},
        ) from error
    _event(case, CaseEvent.Kind.OPENED, actor=actor, to_state=case.state)
    return case


# --- Opinion, decision, documents --------------------------------------------------------------


@transaction.atomic
def opinion_record(
    *,
    case: TransferCase,
    stance: str,
    heard_on: date,
    language: str,
    statement: str = "",
    interpreter_used: bool = False,
    actor: User,
) -> InmateOpinion:
    """Record the inmate's opinion (E18). Consent is not required; hearing them is."""
    _require_role(actor, "case.manage", _("record the inmate's opinion"))
    if case.state not in PRE_DECISION_STATES:
        raise ConflictError(_("The opinion is recorded before the decision."))
    if stance not in InmateOpinion.Stance.values:
        raise ApplicationError(_("Choose the inmate's stance."), details={"stance": ["required"]})
    if not language.strip():
        raise ApplicationError(
            _("Say in which language the inmate was heard."), details={"language": ["required"]}
        )
    opinion = InmateOpinion.objects.create(
        case=case,
        stance=stance,
        heard_on=heard_on,
        language=language.strip(),
        statement=statement.strip(),
        interpreter_used=interpreter_used,
        recorded_by=actor,
    )
    _event(
        case,
        CaseEvent.Kind.OPINION,
        actor=actor,
        text=opinion.get_stance_display(),
        payload={"opinion": opinion.pk, "stance": stance, "heard_on": heard_on.isoformat()},
    )
    return opinion


@transaction.atomic
def decision_record(
    *,
    case: TransferCase,
    outcome: str,
    authority: str,
    legal_basis: str,
    decided_on: date,
    actor: User,
    supersedes_reason: str = "",
) -> Decision:
    """Record the decision while the case is in host review; the move follows separately.

    The inmate's opinion comes first (E18). One decision is in force per case: a later one
    supersedes it only with the reason why, which stays on the old decision and the timeline.
    """
    _require_role(actor, "case.manage", _("record a decision"))
    if case.state != S.HOST_REVIEW:
        raise ConflictError(
            _("A decision is recorded during host review; this case is %(state)s.")
            % {"state": _label(case.state)}
        )
    problems = {}
    if outcome not in Decision.Outcome.values:
        problems["outcome"] = ["required"]
    if not authority.strip():
        problems["authority"] = ["required"]
    if not legal_basis.strip():
        problems["legal_basis"] = ["required"]
    if problems:
        raise ApplicationError(
            _("Give the outcome, the deciding authority and the legal basis."), details=problems
        )
    # The case row's lock serialises two decisions recorded at once.
    TransferCase.objects.select_for_update().filter(pk=case.pk).first()
    if not case.opinions.exists():
        raise ConflictError(
            _("Record the inmate's opinion before the decision (E18)."),
            details={"missing": ["opinion"], "rule": "E18"},
        )
    in_force = case.decisions.filter(superseded_at__isnull=True).first()
    if in_force is not None:
        why = supersedes_reason.strip()
        if not why:
            raise ConflictError(
                _("A decision is in force (%(decision)s). To replace it, say why it is superseded.")
                % {"decision": f"{in_force.get_outcome_display()}, {in_force.decided_on}"},
                details={"supersedes_reason": ["required"], "decision": in_force.pk},
            )
        Decision.objects.filter(pk=in_force.pk).update(
            superseded_at=timezone.now(), superseded_reason=why[:300]
        )
        _event(
            case,
            CaseEvent.Kind.SUPERSEDED,
            actor=actor,
            text=_("Decision of %(date)s superseded: %(why)s")
            % {"date": in_force.decided_on.isoformat(), "why": why},
            payload={"decision": in_force.pk, "reason": why},
        )
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        authority=authority.strip(),
        legal_basis=legal_basis.strip(),
        decided_on=decided_on,
        recorded_by=actor,
    )
    _event(
        case,
        CaseEvent.Kind.DECISION,
        actor=actor,
        text=f"{decision.get_outcome_display()}: {decision.authority}, {decision.legal_basis}",
        payload={"decision": decision.pk, "outcome": outcome, "decided_on": decided_on.isoformat()},
    )
    return decision


# --- Parameters -------------------------------------------------------------------------------


@transaction.atomic
def rule_parameter_set(
    *,
    name: str,
    raw_value: Any,
    reason: str,
    actor: User,
    agreement: Agreement | None = None,
) -> EligibilityRuleParameter:
    """Record a new value for a parameter, for one programme (or, without one, for every
    programme that has no value of its own); earlier values stay as its history."""
    _require_role(actor, "eligibility.rules.edit", _("change eligibility parameters"))
    spec = eligibility.PARAMETERS.get(name)
    if spec is None:
        raise ApplicationError(_("Unknown parameter."), details={"name": ["unknown"]})
    try:
        value = spec.parse(raw_value)
    except (TypeError, ValueError) as error:
        raise ApplicationError(
            _("%(label)s: expected %(what)s.") % {"label": spec.label, "what": error},
            details={"value": [str(error)]},
        ) from error
    if not reason.strip():
        raise ApplicationError(_("Say why the value changes."), details={"reason": ["required"]})
    return EligibilityRuleParameter.objects.create(
        agreement=agreement, name=name, value=value, reason=reason.strip(), changed_by=actor
    )


# --- Handlers of the moves before the transport ------------------------------------------------


@handles(S.ELIGIBLE, frm=S.NEEDS_REVIEW)
def _resolve_review(ctx: MoveContext) -> None:
    if not ctx.text:
        raise ApplicationError(
            _("Say how the review was resolved."), details={"text": ["required"]}
        )
    latest = selectors.latest_screening(ctx.case)
    if latest is not None:
        # The eligibility guard accepts this review for as long as the result stays the same.
        ctx.payload["reviewed_fingerprint"] = latest.fingerprint


@handles(S.PROPOSED)
def _propose(ctx: MoveContext) -> None:
    latest = selectors.latest_screening(ctx.case)
    if latest is None or latest.outcome == "ineligible":
        ctx.missing.append(_("a screening that is not ineligible (screen the case)"))


def _decision_in_force(ctx: MoveContext, wanted: str) -> Decision | None:
    decision = ctx.case.decisions.filter(superseded_at__isnull=True).first()
    if decision is None or decision.outcome != wanted:
        ctx.missing.append(
            _("the decision (%(outcome)s: authority, legal basis, date)")
            % {"outcome": Decision.Outcome(wanted).label}
        )
        return None
    ctx.payload["decision"] = decision.pk
    return decision


@handles(S.DECIDED_NO_TRANSFER, frm=S.HOST_REVIEW)
def _decide_no_transfer(ctx: MoveContext) -> None:
    _decision_in_force(ctx, Decision.Outcome.NO_TRANSFER)


@handles(S.DECIDED_TRANSFER)
def _decide_transfer(ctx: MoveContext) -> None:
    decision = _decision_in_force(ctx, Decision.Outcome.TRANSFER)
    if not ctx.case.opinions.exists():
        ctx.missing.append(_("the inmate's opinion (E18)"))
    if decision is None:
        return
    entry = _live_manifest(ctx.case)
    arrival = entry.batch.departs_on if entry is not None else None
    refusal = capacity_over_horizon(
        case=ctx.case,
        start=decision.decided_on,
        arrival=arrival,
        lead_days=ctx.params.capacity_lead_days,
        ignore=entry.placement_id if entry is not None else None,
    )
    if refusal:
        ctx.missing.append(refusal)


def capacity_over_horizon(
    *,
    case: TransferCase,
    start: date,
    arrival: date | None,
    lead_days: int,
    ignore: int | None = None,
) -> str:
    """Rule E17 over the horizon: empty when the case's programme has room for one more on every
    day from `start` to the planned arrival (or `lead_days` after `start` when none is planned),
    else what is missing, naming the first full day and its numbers."""
    end = arrival if arrival is not None else start + timedelta(days=lead_days)
    over = cells_selectors.first_day_over_cap(
        agreement=case.agreement, start=start, end=max(start, end), ignore=ignore
    )
    if over is None:
        return ""
    return _(
        "E17: a free place in %(programme)s on every day up to the arrival: on %(date)s "
        "%(held)s of its %(cap)s places are occupied, reserved or in transit"
    ) % {
        "programme": case.agreement.name,
        "date": over.day.isoformat(),
        "held": over.held,
        "cap": over.cap,
    }


@handles(S.NOTIFIED)
def _notify(ctx: MoveContext) -> None:
    notified_on: date = ctx.input.notified_on
    if notified_on > ctx.today:
        raise ApplicationError(
            _("The notification cannot be dated in the future."),
            details={"notified_on": ["not after today"]},
        )
    ctx.fields.update(
        notified_on=notified_on,
        notification_language=ctx.input.language,
        appeal_deadline=notified_on + timedelta(days=ctx.params.appeal_days),
    )
    ctx.payload["appeal_deadline"] = ctx.fields["appeal_deadline"].isoformat()


@handles(S.WITHDRAWN)
def _withdraw(ctx: MoveContext) -> None:
    case = ctx.case

    def free() -> None:
        _free_reservation(
            case,
            reason=ctx.text or _("Transfer case %(pk)s ended") % {"pk": case.pk},
            actor=ctx.actor,
        )

    ctx.after.append(free)


@transaction.atomic
def case_notify(
    *,
    case: TransferCase,
    notified_on: date,
    language: str,
    actor: User,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Record the notification of the decision; the appeal deadline follows from it."""
    return case_transition(
        case=case,
        to=S.NOTIFIED,
        actor=actor,
        text=text,
        data=NotifyInput(notified_on=notified_on, language=language.strip()),
        expected_version=expected_version,
    )


# --- The periodic review while serving ---------------------------------------------------------

# Lazy: the form's choices and the timeline name them in the reader's language.
REVIEW_OUTCOMES = {
    "continue": gettext_lazy("The stay continues"),
    "consider_return": gettext_lazy("A return to Denmark is to be considered"),
}


@transaction.atomic
def review_record(
    *,
    case: TransferCase,
    outcome: str,
    reviewed_on: date,
    next_review_on: date,
    actor: User,
    text: str = "",
) -> TransferCase:
    """Record the periodic review of a serving inmate's stay, with its outcome and the next
    review's date, which ends the reminder of this one."""
    _require_role(actor, "case.manage", _("record a periodic review"))
    problems: dict[str, list[str]] = {}
    if outcome not in REVIEW_OUTCOMES:
        problems["outcome"] = [", ".join(REVIEW_OUTCOMES)]
    today = timezone.localdate()
    if reviewed_on > today:
        problems["reviewed_on"] = [str(_("not after today"))]
    if next_review_on <= reviewed_on:
        problems["next_review_on"] = [str(_("after the review"))]
    if problems:
        raise ApplicationError(
            _("Give the outcome, the day of the review and a later next review: %(fields)s.")
            % {"fields": ", ".join(problems)},
            details=problems,
        )
    locked = TransferCase.objects.select_for_update().get(pk=case.pk)
    if locked.state != S.SERVING:
        raise ConflictError(
            _("A periodic review is recorded while serving; this case is %(state)s.")
            % {"state": _label(locked.state)}
        )
    TransferCase.objects.filter(pk=case.pk).update(
        review_due_on=next_review_on, updated_at=timezone.now()
    )
    case.review_due_on = next_review_on
    _event(
        case,
        CaseEvent.Kind.REVIEW,
        actor=actor,
        text=_("Reviewed on %(on)s: %(outcome)s. Next review %(next)s.")
        % {
            "on": reviewed_on.isoformat(),
            "outcome": REVIEW_OUTCOMES[outcome],
            "next": next_review_on.isoformat(),
        }
        + (f" {text.strip()}" if text.strip() else ""),
        payload={
            "outcome": outcome,
            "reviewed_on": reviewed_on.isoformat(),
            "next_review_on": next_review_on.isoformat(),
        },
    )
    return case
