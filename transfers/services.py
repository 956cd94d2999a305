"""Writes to transfer cases. Every state move is a compare-and-set on (pk, state, version).

A move names the role that owns it, the states it leaves from and, where it ends or reverses a
case, a coded reason. A case not ready for a move is refused with what is missing (a document, a
decision, an open appeal window, no free place). Places at Gjilan are reserved, admitted and
released only through program.cells.services, inside the same transaction as the move, so a
refused reservation leaves the case where it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells import services as cells_services
from program.cells.models import Place, Placement
from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.core.roles import Role, user_roles
from program.inmates import services as inmates_services
from program.inmates.csv_import import InmateRow
from program.inmates.models import Inmate, Judgment
from program.notifications import services as notifications
from program.notifications.models import Notification
from program.outbox import services as outbox
from transfers import eligibility, selectors
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    EligibilityRuleParameter,
    InmateOpinion,
    ManifestEntry,
    ReasonCode,
    ReleasePreparation,
    Screening,
    ScreeningJob,
    TransferCase,
    TransportBatch,
    missing_release_steps,
)

S = TransferCase.State
CASEWORKERS = frozenset({Role.CASEWORKER})
OCCUPANCY = frozenset({Role.OCCUPANCY_ADMIN})
RULE_ADMINS = frozenset({Role.OCCUPANCY_ADMIN})

# Final states: no move leaves them. DESIGN §5 branches decided_no_transfer off the main line
# (like returned off return_pending) and names no way back; an appeal is against a transfer
# decision, and when upheld it ends here (programme-facts §9.2 step 9). New facts mean a new case.
CLOSED_STATES = frozenset(
    {S.DECIDED_NO_TRANSFER, S.RETURNED, S.DEPORTED, S.RELEASED_NOT_REMOVABLE, S.WITHDRAWN}
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

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Content sniffing of the first bytes: the browser's content type and the file name are not
# trusted.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)

# pg_advisory_xact_lock key of the eligibility sweep: two sweeps take turns chunk by chunk.
SWEEP_LOCK_KEY = 0x7472_616E_7366  # "transf"
SWEEP_CHUNK = 500
# pg_try_advisory_lock keys of an on-demand screening job (with the job id): one runner per job.
SCREEN_JOB_LOCK_KEY = 0x7363_726E  # "scrn"
SCREEN_JOB_CASE_CHUNK = 25
SCREEN_JOB_CANDIDATE_CHUNK = 200


class RoleRefusedError(ApplicationError):
    """The actor's role does not own this move."""

    code = "permission_denied"
    http_status = 403


@dataclass(frozen=True)
class Move:
    roles: frozenset[str]
    reason: str | None = None  # the ReasonCode.AppliesTo a coded reason must carry
    needs: tuple[str, ...] = field(default=())  # inputs in `data` the move needs
    # Records on the case that must be complete first (see _missing_records), named on refusal.
    requires: tuple[str, ...] = field(default=())


MOVES: dict[tuple[str, str], Move] = {
    (S.IDENTIFIED, S.SCREENING): Move(CASEWORKERS),
    (S.NEEDS_REVIEW, S.ELIGIBLE): Move(CASEWORKERS),
    (S.NEEDS_REVIEW, S.INELIGIBLE): Move(CASEWORKERS, reason=ReasonCode.AppliesTo.REJECTION),
    (S.ELIGIBLE, S.PROPOSED): Move(CASEWORKERS),
    (S.PROPOSED, S.HOST_REVIEW): Move(CASEWORKERS),
    (S.HOST_REVIEW, S.DECIDED_TRANSFER): Move(CASEWORKERS),
    (S.HOST_REVIEW, S.DECIDED_NO_TRANSFER): Move(
        CASEWORKERS, reason=ReasonCode.AppliesTo.REJECTION
    ),
    (S.DECIDED_TRANSFER, S.NOTIFIED): Move(CASEWORKERS, needs=("notified_on", "language")),
    (S.NOTIFIED, S.UNDER_APPEAL): Move(CASEWORKERS, needs=("lodged_on",)),
    (S.NOTIFIED, S.SCHEDULED): Move(CASEWORKERS, needs=("batch",)),
    (S.UNDER_APPEAL, S.SCHEDULED): Move(CASEWORKERS, needs=("batch",)),
    (S.UNDER_APPEAL, S.DECIDED_NO_TRANSFER): Move(CASEWORKERS),
    (S.SCHEDULED, S.IN_TRANSIT): Move(CASEWORKERS),
    (S.IN_TRANSIT, S.ADMITTED): Move(OCCUPANCY),
    # A refusal at the gate: the inmate goes back, the reserved place is freed.
    (S.IN_TRANSIT, S.RETURNED): Move(OCCUPANCY, reason=ReasonCode.AppliesTo.RETURN),
    (S.ADMITTED, S.SERVING): Move(OCCUPANCY),
    (S.SERVING, S.RETURN_PENDING): Move(CASEWORKERS, reason=ReasonCode.AppliesTo.RETURN),
    (S.RELEASE_PREP, S.RETURN_PENDING): Move(CASEWORKERS, reason=ReasonCode.AppliesTo.RETURN),
    (S.RETURN_PENDING, S.RETURNED): Move(OCCUPANCY),
    (S.SERVING, S.RELEASE_PREP): Move(CASEWORKERS),
    # Removal needs the travel document, the country's acceptance and the flight; a release of
    # someone who cannot be removed does not.
    (S.RELEASE_PREP, S.DEPORTED): Move(CASEWORKERS, requires=("release_preparation",)),
    (S.RELEASE_PREP, S.RELEASED_NOT_REMOVABLE): Move(CASEWORKERS),
    **{
        (state, S.WITHDRAWN): Move(CASEWORKERS, reason=ReasonCode.AppliesTo.WITHDRAWAL)
        for state in WITHDRAWABLE_STATES
    },
}


def moves_from(state: str) -> list[tuple[str, Move]]:
    return [(to, move) for (frm, to), move in MOVES.items() if frm == state]


def moves_for(*, case: TransferCase, roles: frozenset[str]) -> list[tuple[str, Move]]:
    """The moves this role may try from the case's state (the case page's action list)."""
    return [(to, move) for to, move in moves_from(case.state) if not roles.isdisjoint(move.roles)]


# --- Helpers ----------------------------------------------------------------------------------


def _label(state: str) -> str:
    return str(S(state).label)


def _require_role(actor: User | None, roles: frozenset[str], what: str) -> None:
    if actor is None or user_roles(actor).isdisjoint(roles):
        names = ", ".join(sorted(str(Role(role).label) for role in roles))
        raise RoleRefusedError(
            _("Only %(roles)s may %(what)s.") % {"roles": names, "what": what},
            details={"roles": sorted(roles)},
        )


def _event(
    case: TransferCase,
    kind: str,
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    reason_code: ReasonCode | None = None,
    text: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason_code=reason_code,
        text=text,
        payload=payload or {},
    )


def _reason(code: str, applies_to: str) -> ReasonCode:
    reason = ReasonCode.objects.filter(code=code, applies_to=applies_to, active=True).first()
    if reason is None:
        codes = list(
            ReasonCode.objects.filter(applies_to=applies_to, active=True).values_list(
                "code", flat=True
            )
        )
        raise ApplicationError(
            _("Choose a coded reason (%(kind)s).")
            % {"kind": ReasonCode.AppliesTo(applies_to).label},
            details={"reason": codes},
        )
    return reason


def _cas(case: TransferCase, to: str, **fields: Any) -> bool:
    """Compare-and-set the state. True when moved; False when it already was `to` (no-op).

    The UPDATE's WHERE names the state and version the caller saw. A concurrent writer holds
    the row lock until it commits; then PostgreSQL re-checks the WHERE, finds a new version and
    updates nothing, and the loser is told what the case became.
    """
    now = timezone.now()
    updated = TransferCase.objects.filter(
        pk=case.pk, state=case.state, version=case.version
    ).update(
        state=to,
        version=F("version") + 1,
        updated_at=now,
        closed_at=now if to in CLOSED_STATES else None,
        **fields,
    )
    fresh = TransferCase.objects.get(pk=case.pk)
    if not updated:
        if fresh.state == to:
            _copy(fresh, case)
            return False
        raise ConflictError(
            _(
                "The case changed meanwhile: it is now %(state)s (version %(version)s). "
                "Reload it and try again."
            )
            % {"state": _label(fresh.state), "version": fresh.version},
            details={"state": fresh.state, "version": fresh.version},
        )
    _copy(fresh, case)
    return True


def _require_read_version(case: TransferCase, expected_version: int | None) -> None:
    """Lock the case and refuse it if it moved past the version the caller read (a form's hidden
    field, the API's If-Match), saying who moved it, how and when. Under the lock nothing can move
    it between this check and the action's own compare-and-set."""
    if expected_version is None:
        return
    locked = TransferCase.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise ConflictError(_("The case no longer exists."))
    if locked.version == expected_version:
        _copy(locked, case)
        return
    latest = (
        CaseEvent.objects.filter(case_id=case.pk)
        .exclude(to_state="")
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = latest.actor.get_username() if latest and latest.actor else _("the system")
    when = timezone.localtime(latest.at if latest else locked.updated_at)
    what = (
        _("moved it from %(from)s to %(to)s")
        % {"from": _label(latest.from_state), "to": _label(latest.to_state)}
        if latest and latest.from_state
        else _("changed it")
    )
    raise PreconditionFailedError(
        _(
            "Someone changed this case after you read it (your version %(read)s, now "
            "%(version)s): %(who)s %(what)s at %(when)s. Nothing was saved; reload the case "
            "and try again."
        )
        % {
            "read": expected_version,
            "version": locked.version,
            "who": who,
            "what": what,
            "when": when.strftime("%Y-%m-%d %H:%M:%S"),
        },
        details={
            "version": locked.version,
            "read_version": expected_version,
            "state": locked.state,
            "changed_by": who,
            "changed_at": when.isoformat(),
        },
    )


def _copy(source: TransferCase, target: TransferCase) -> None:
    for name in (
        "state",
        "version",
        "closed_at",
        "updated_at",
        "notified_on",
        "notification_language",
        "appeal_deadline",
        "appeal_lodged_on",
        "appeal_outcome",
        "appeal_decided_on",
        "placement_id",
        "review_due_on",
    ):
        setattr(target, name, getattr(source, name))


def _missing_documents(case: TransferCase, to: str) -> list[str]:
    needed = REQUIRED_DOCUMENTS.get(to, ())
    have = set(Document.objects.filter(case=case, kind__in=needed).values_list("kind", flat=True))
    return [str(Document.Kind(kind).label) for kind in needed if kind not in have]


def _missing_records(case: TransferCase, move: Move) -> list[str]:
    missing: list[str] = []
    if "release_preparation" in move.requires:
        missing += missing_release_steps(ReleasePreparation.objects.filter(case=case).first())
    return missing


def _parse_date(data: dict[str, Any], key: str, default: date | None = None) -> date:
    raw = data.get(key)
    if raw in (None, ""):
        if default is not None:
            return default
        raise ApplicationError(
            _("Give the date (%(key)s).") % {"key": key}, details={key: ["required"]}
        )
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as error:
        raise ApplicationError(
            _("Give the date as YYYY-MM-DD (%(key)s).") % {"key": key},
            details={key: ["invalid date"]},
        ) from error


def _live_manifest(case: TransferCase) -> ManifestEntry | None:
    return (
        ManifestEntry.objects.select_related("batch", "placement")
        .filter(case=case, removed_at__isnull=True)
        .first()
    )


def _free_reservation(case: TransferCase, *, reason: str, actor: User | None) -> None:
    """Cancel the case's reservation (if still open) and take it off its transport."""
    entry = _live_manifest(case)
    if entry is None:
        return
    placement = entry.placement
    if (
        placement is not None
        and placement.kind == Placement.Kind.RESERVATION
        and not placement.end_reason
    ):
        cells_services.reservation_cancel(reservation=placement, reason=reason, actor=actor)
    entry.removed_at = timezone.now()
    entry.save(update_fields=["removed_at"])


# --- Opening and screening ---------------------------------------------------------------------


@transaction.atomic
def case_open(*, inmate: Inmate, actor: User, caseworker: User | None = None) -> TransferCase:
    """Open a case in `identified`. Refused when the inmate already has an open case."""
    _require_role(actor, CASEWORKERS, _("open a transfer case"))
    try:
        with transaction.atomic():
            case = TransferCase.objects.create(inmate=inmate, caseworker=caseworker or actor)
    except IntegrityError as error:
        open_case = TransferCase.objects.filter(inmate=inmate, closed_at__isnull=True).first()
        raise ConflictError(
            _("This inmate already has an open transfer case (#%(pk)s).")
            % {"pk": open_case.pk if open_case else "?"},
            details={"case": open_case.pk if open_case else None},
        ) from error
    _event(case, CaseEvent.Kind.OPENED, actor=actor, to_state=case.state)
    return case


@dataclass
class ScreeningRun:
    screenings: list[Screening]
    changed: dict[int, tuple[str | None, str]]  # inmate id → (previous outcome, new outcome)


def screenings_run(
    *, inmate_ids: Iterable[int], on: date, only_changes: bool, actor: User | None
) -> ScreeningRun:
    """Screen many inmates with a fixed number of queries; store screenings and case events.

    With only_changes, an inmate whose outcome and per-rule outcomes match their last screening
    gets no new row (the sweep). An open case whose outcome changed gets one event, keyed by day
    and fingerprint so a second run adds nothing.
    """
    ids = sorted(set(inmate_ids))
    params = eligibility.params_load()  # 1 query
    capacity = eligibility.capacity_on(on)  # up to 3 queries
    open_cases = {  # 1 query
        case.inmate_id: case
        for case in TransferCase.objects.filter(inmate_id__in=ids, closed_at__isnull=True)
    }
    with_opinion = set(  # 1 query
        InmateOpinion.objects.filter(case__in=list(open_cases.values())).values_list(
            "case__inmate_id", flat=True
        )
    )
    snapshots = eligibility.snapshots_for(  # 5 queries
        ids, on=on, capacity=capacity, opinions=with_opinion
    )
    # 1 query: the newest screening per inmate (DISTINCT ON), as (outcome, fingerprint) tuples:
    # model instances cost the sweep seconds at 100,000 candidates (bench/, issue 7).
    last: dict[int, tuple[str, str]] = {
        inmate_id: (outcome, fingerprint)
        for inmate_id, outcome, fingerprint in Screening.objects.filter(inmate_id__in=ids)
        .order_by("inmate_id", "-id")
        .distinct("inmate_id")
        .values_list("inmate_id", "outcome", "fingerprint")
    }
    new: list[Screening] = []
    changed: dict[int, tuple[str | None, str]] = {}
    events: list[CaseEvent] = []
    for inmate_id in ids:
        snapshot = snapshots.get(inmate_id)
        if snapshot is None:
            continue
        result = eligibility.evaluate(snapshot, params)
        previous = last.get(inmate_id)
        if only_changes and previous is not None and previous[1] == result.fingerprint:
            continue
        case = open_cases.get(inmate_id)
        new.append(
            Screening(
                inmate_id=inmate_id,
                case=case,
                screened_on=on,
                rule_set_version=result.rule_set_version,
                inputs=snapshot.as_inputs(),
                outcome=result.outcome,
                results=result.results,
                fingerprint=result.fingerprint,
                eligible_from=result.eligible_from,
            )
        )
        before = previous[0] if previous else None
        if before != result.outcome:
            changed[inmate_id] = (before, result.outcome)
            if case is not None and only_changes:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.OUTCOME_CHANGED,
                        actor=actor,
                        text=_("Eligibility changed from %(before)s to %(after)s.")
                        % {"before": before or _("not screened"), "after": result.outcome},
                        payload={"before": before, "after": result.outcome, "on": on.isoformat()},
                        dedupe_key=f"sweep:{on.isoformat()}:{result.fingerprint[:32]}",
                    )
                )
    Screening.objects.bulk_create(new)  # 1 query
    CaseEvent.objects.bulk_create(events, ignore_conflicts=True)  # 1 query
    if events:  # 2 queries: the notifications, and which of them still wait for their e-mail
        notifications.notify_many(
            [_case_notification(event, Notification.Kind.OUTCOME_CHANGED) for event in events]
        )
    return ScreeningRun(screenings=new, changed=changed)


@transaction.atomic
def case_screen(
    *,
    case: TransferCase,
    actor: User | None,
    on: date | None = None,
    expected_version: int | None = None,
) -> Screening:
    """Screen a case's inmate now and move the case to the outcome.

    Allowed before the proposal (an ineligible case may be re-screened when facts change).
    `actor` None is the system (the sweep never moves states; this is for on-demand runs).
    With expected_version, a case moved since the caller read it is refused (412 over the API).
    """
    if actor is not None:
        _require_role(actor, CASEWORKERS, _("screen a case"))
    _require_read_version(case, expected_version)
    if case.state not in SCREENABLE_STATES:
        raise ConflictError(
            _("A case is screened before it is proposed; this one is %(state)s.")
            % {"state": _label(case.state)}
        )
    on = on or timezone.localdate()
    run = screenings_run(inmate_ids=[case.inmate_id], on=on, only_changes=False, actor=actor)
    screening = run.screenings[0]
    before = case.state
    moved = _cas(case, screening.outcome)
    _event(
        case,
        CaseEvent.Kind.SCREENING,
        actor=actor,
        from_state=before if moved else "",
        to_state=screening.outcome if moved else "",
        text=_("Screened: %(outcome)s (rule set %(version)s).")
        % {"outcome": screening.get_outcome_display(), "version": screening.rule_set_version},
        payload={"screening": screening.pk, "outcome": screening.outcome},
    )
    return screening


def sweep_run(*, on: date | None = None) -> int:
    """Screen every open pre-decision case and every candidate; store only changed outcomes.

    Chunked: each chunk is its own transaction under one advisory lock, so a second sweep running
    at the same time waits for the chunk, then finds nothing changed; a sweep killed midway keeps
    the chunks it finished and the rerun completes the rest. Returns the screenings stored.
    """
    on = on or timezone.localdate()
    ids = selectors.sweep_population(on=on)
    stored = 0
    for start in range(0, len(ids), SWEEP_CHUNK):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])
            run = screenings_run(
                inmate_ids=ids[start : start + SWEEP_CHUNK], on=on, only_changes=True, actor=None
            )
            stored += len(run.screenings)
    return stored


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
    _require_role(actor, CASEWORKERS, _("record the inmate's opinion"))
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
) -> Decision:
    """Record the decision while the case is in host review; the move follows separately."""
    _require_role(actor, CASEWORKERS, _("record a decision"))
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
    """Record the outcome of the inmate's appeal against the transfer decision.

    Upheld: the transfer is off, and the case ends in decided_no_transfer (final: DESIGN §5 has
    no move out of it). Rejected: the transfer stands; the case stays under appeal until it is
    booked on a transport, which a suspensive appeal (the `appeal_suspends` setting) allows
    only from now on. A compare-and-set on the version the caller saw, like every move.
    """
    _require_role(actor, CASEWORKERS, _("record the outcome of an appeal"))
    if outcome not in TransferCase.AppealOutcome.values:
        raise ApplicationError(
            _("Choose the appeal's outcome: %(choices)s.")
            % {"choices": ", ".join(TransferCase.AppealOutcome.values)},
            details={"outcome": TransferCase.AppealOutcome.values},
        )
    _require_read_version(case, expected_version)
    if case.state != S.UNDER_APPEAL or case.appeal_outcome:
        raise ConflictError(
            _(
                "An appeal's outcome is recorded once, while the case is under appeal; this "
                "case is %(state)s."
            )
            % {"state": _label(case.state)},
            details={"state": case.state, "appeal_outcome": case.appeal_outcome},
        )
    today = timezone.localdate()
    if decided_on > today or (case.appeal_lodged_on and decided_on < case.appeal_lodged_on):
        raise ApplicationError(
            _("The appeal is decided between the day it was lodged (%(lodged)s) and today.")
            % {"lodged": case.appeal_lodged_on.isoformat() if case.appeal_lodged_on else "—"},
            details={"decided_on": ["between the day lodged and today"]},
        )
    if outcome == TransferCase.AppealOutcome.UPHELD:
        case_transition(
            case=case,
            to=S.DECIDED_NO_TRANSFER,
            actor=actor,
            text=text,
            data={"appeal_decided_on": decided_on},
        )
    else:
        updated = TransferCase.objects.filter(
            pk=case.pk, state=S.UNDER_APPEAL, version=case.version, appeal_outcome=""
        ).update(
            appeal_outcome=outcome,
            appeal_decided_on=decided_on,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        fresh = TransferCase.objects.get(pk=case.pk)
        if not updated:
            raise ConflictError(
                _(
                    "The case changed meanwhile: it is now %(state)s (version %(version)s). "
                    "Reload it and try again."
                )
                % {"state": _label(fresh.state), "version": fresh.version},
                details={"state": fresh.state, "version": fresh.version},
            )
        _copy(fresh, case)
    _event(
        case,
        CaseEvent.Kind.APPEAL,
        actor=actor,
        text=_("Appeal decided on %(date)s: %(outcome)s.")
        % {
            "date": decided_on.isoformat(),
            "outcome": TransferCase.AppealOutcome(outcome).label,
        },
        payload={"outcome": outcome, "decided_on": decided_on.isoformat()},
    )
    return case


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def document_upload(*, case: TransferCase, kind: str, file: UploadedFile, actor: User) -> Document:
    """Store a new version of a document; earlier versions and their files stay."""
    _require_role(actor, CASEWORKERS | OCCUPANCY, _("upload documents"))
    if kind not in Document.Kind.values:
        raise ApplicationError(_("Choose the kind of document."), details={"kind": ["required"]})
    size = file.size or 0
    if size == 0:
        raise ApplicationError(_("The file is empty."), details={"file": ["empty"]})
    if size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            _("The file is %(mb).1f MB; the limit is 10 MB.") % {"mb": size / 1024 / 1024},
            details={"file": ["too large"]},
        )
    file.seek(0)
    head = file.read(16)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ApplicationError(
            _("Only PDF, PNG and JPEG files are accepted (judged by the file's content)."),
            details={"file": ["type"]},
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    # Lock the case row so two uploads of the same kind get consecutive versions.
    TransferCase.objects.select_for_update().filter(pk=case.pk).first()
    version = (
        Document.objects.filter(case=case, kind=kind).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    document = Document(
        case=case,
        kind=kind,
        version=version,
        original_name=(file.name or "upload")[:255],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.file.save("upload", file, save=False)
    document.save()
    _event(
        case,
        CaseEvent.Kind.DOCUMENT,
        actor=actor,
        text=f"{document.get_kind_display()} v{version}",
        payload={"document": document.pk, "kind": kind, "version": version},
    )
    return document


# --- Transport --------------------------------------------------------------------------------


@transaction.atomic
def batch_create(
    *, departs_on: date, direction: str, seats: int, escort: str = "", actor: User
) -> TransportBatch:
    _require_role(actor, CASEWORKERS, _("plan transports"))
    if direction not in TransportBatch.Direction.values:
        raise ApplicationError(_("Choose the direction."), details={"direction": ["required"]})
    if seats < 1:
        raise ApplicationError(_("A transport needs at least one seat."), details={"seats": [">0"]})
    return TransportBatch.objects.create(
        departs_on=departs_on, direction=direction, seats=seats, escort=escort, created_by=actor
    )


# --- The state machine ------------------------------------------------------------------------


@transaction.atomic
def case_transition(
    *,
    case: TransferCase,
    to: str,
    actor: User,
    reason_code: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> TransferCase:
    """Move a case to `to`, if its role owns the move and the case is ready for it.

    Already in `to`: a no-op. An illegal move, a lost race or a missing prerequisite: a
    ConflictError naming what blocks it. With expected_version (the version the caller read),
    a case moved since then is refused first, with who moved it and when (412 over the API).
    Side effects on places happen in this transaction. `data` carries the inputs some moves
    need (notified_on and language, lodged_on, batch and place, on).
    """
    data = data or {}
    if to not in S.values:
        raise ApplicationError(_("Unknown state %(to)s.") % {"to": to}, details={"to": S.values})
    _require_read_version(case, expected_version)
    if case.state == to:
        return case
    move = MOVES.get((case.state, to))
    if move is None:
        allowed = ", ".join(_label(target) for target, _m in moves_from(case.state)) or "—"
        raise ConflictError(
            _("A case cannot move from %(from)s to %(to)s. From here: %(allowed)s.")
            % {"from": _label(case.state), "to": _label(to), "allowed": allowed},
            details={"state": case.state, "allowed": [t for t, _m in moves_from(case.state)]},
        )
    _require_role(
        actor,
        move.roles,
        _("move a case from %(a)s to %(b)s") % {"a": _label(case.state), "b": _label(to)},
    )
    reason = _reason(reason_code, move.reason) if move.reason else None
    missing = _missing_documents(case, to)
    if missing:
        raise ConflictError(
            _("Upload first: %(docs)s.") % {"docs": ", ".join(missing)},
            details={"missing_documents": missing},
        )
    steps = _missing_records(case, move)
    if steps:
        raise ConflictError(
            _("Complete the release preparation first: %(steps)s.") % {"steps": ", ".join(steps)},
            details={"missing": steps},
        )
    before = case.state
    fields: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    after_move = _prepare(
        case, to, actor=actor, data=data, fields=fields, payload=payload, text=text
    )
    if not _cas(case, to, **fields):
        return case
    if after_move is not None:
        after_move()
    _event(
        case,
        CaseEvent.Kind.TRANSITION,
        actor=actor,
        from_state=before,
        to_state=to,
        reason_code=reason,
        text=text.strip(),
        payload=payload,
    )
    return case


def _prepare(
    case: TransferCase,
    to: str,
    *,
    actor: User,
    data: dict[str, Any],
    fields: dict[str, Any],
    payload: dict[str, Any],
    text: str,
) -> Any:
    """Check the move's prerequisites; fill the fields it sets; return its side effect, if any.

    The side effect runs after the compare-and-set, in the same transaction.
    """
    today = timezone.localdate()
    params = eligibility.params_load()
    frm = case.state
    if frm == S.NEEDS_REVIEW and to == S.ELIGIBLE and not text.strip():
        raise ApplicationError(
            _("Say how the review was resolved."), details={"text": ["required"]}
        )
    if to == S.PROPOSED:
        latest = selectors.latest_screening(case)
        if latest is None or (latest.outcome == "ineligible"):
            raise ConflictError(_("Screen the case first: the latest screening is not eligible."))
    if frm == S.HOST_REVIEW and to in (S.DECIDED_TRANSFER, S.DECIDED_NO_TRANSFER):
        decision = case.decisions.order_by("-recorded_at", "-id").first()
        wanted = (
            Decision.Outcome.TRANSFER if to == S.DECIDED_TRANSFER else Decision.Outcome.NO_TRANSFER
        )
        if decision is None or decision.outcome != wanted:
            raise ConflictError(
                _("Record the decision (%(outcome)s: authority, legal basis, date) first.")
                % {"outcome": Decision.Outcome(wanted).label},
                details={"missing": "decision"},
            )
        payload["decision"] = decision.pk
        if to == S.DECIDED_TRANSFER:
            if not case.opinions.exists():
                raise ConflictError(
                    _("Record the inmate's opinion before the decision (E18)."),
                    details={"missing": "opinion", "rule": "E18"},
                )
            capacity = eligibility.capacity_on(decision.decided_on)
            result = eligibility.evaluate_rule(
                "E17",
                eligibility.Snapshot(
                    inmate_id=case.inmate_id,
                    on=decision.decided_on,
                    date_of_birth=decision.decided_on,
                    sex="",
                    places_cap=capacity.cap,
                    places_held=capacity.held,
                ),
            )
            if result.outcome != eligibility.PASS:
                raise ConflictError(result.reason, details={"missing": "free place", "rule": "E17"})
    if to == S.NOTIFIED:
        notified_on = _parse_date(data, "notified_on")
        language = str(data.get("language") or "").strip()
        if not language:
            raise ApplicationError(
                _("Say in which language the inmate was notified."),
                details={"language": ["required"]},
            )
        fields.update(
            notified_on=notified_on,
            notification_language=language,
            appeal_deadline=notified_on + timedelta(days=params.appeal_days),
        )
        payload["appeal_deadline"] = fields["appeal_deadline"].isoformat()
    if to == S.UNDER_APPEAL:
        lodged_on = _parse_date(data, "lodged_on", today)
        if case.appeal_deadline and lodged_on > case.appeal_deadline:
            raise ConflictError(
                _("The appeal window closed on %(date)s.")
                % {"date": case.appeal_deadline.isoformat()}
            )
        fields["appeal_lodged_on"] = lodged_on
    if frm == S.UNDER_APPEAL and to == S.DECIDED_NO_TRANSFER:
        fields.update(
            appeal_outcome=TransferCase.AppealOutcome.UPHELD,
            appeal_decided_on=_parse_date(data, "appeal_decided_on", today),
        )
    if to == S.SCHEDULED:
        return _prepare_schedule(case, actor=actor, data=data, params=params, payload=payload)
    if to == S.IN_TRANSIT and _live_manifest(case) is None:
        raise ConflictError(_("Book the case on a transport first."))
    if to == S.ADMITTED:
        return _prepare_admit(case, actor=actor, data=data, today=today, payload=payload)
    if to == S.SERVING:
        fields["review_due_on"] = today + timedelta(days=params.review_interval_days)
    if to == S.WITHDRAWN or (frm == S.IN_TRANSIT and to == S.RETURNED):

        def free() -> None:
            _free_reservation(
                case, reason=text or _("Transfer case %(pk)s ended") % {"pk": case.pk}, actor=actor
            )

        return free
    if to in (S.RETURNED, S.DEPORTED, S.RELEASED_NOT_REMOVABLE):
        return _prepare_release(case, to, actor=actor, data=data, today=today, payload=payload)
    return None


def _prepare_schedule(
    case: TransferCase,
    *,
    actor: User,
    data: dict[str, Any],
    params: eligibility.Params,
    payload: dict[str, Any],
) -> Any:
    today = timezone.localdate()
    batch = data.get("batch")
    if not isinstance(batch, TransportBatch):
        batch = TransportBatch.objects.filter(pk=batch).first() if batch else None
    if batch is None:
        raise ApplicationError(_("Choose the transport."), details={"batch": ["required"]})
    if batch.direction != TransportBatch.Direction.TO_HOST:
        raise ApplicationError(
            _("Choose a transport from Denmark to Kosovo."), details={"batch": ["direction"]}
        )
    if case.state == S.NOTIFIED and case.appeal_deadline and today <= case.appeal_deadline:
        raise ConflictError(
            _("The appeal window is open until %(date)s.")
            % {"date": case.appeal_deadline.isoformat()},
            details={"missing": "appeal window closed"},
        )
    if (
        case.state == S.UNDER_APPEAL
        and params.appeal_suspends
        and case.appeal_outcome != TransferCase.AppealOutcome.REJECTED
    ):
        raise ConflictError(
            _("The appeal suspends the transfer until it is decided."),
            details={"missing": "appeal decided"},
        )
    place = data.get("place")
    if place is not None and not isinstance(place, Place):
        place = Place.objects.filter(pk=place).first()
    # Lock the batch so two caseworkers cannot both take its last seat.
    locked = TransportBatch.objects.select_for_update().get(pk=batch.pk)
    taken = ManifestEntry.objects.filter(batch=locked, removed_at__isnull=True).count()
    if taken >= locked.seats:
        raise ConflictError(
            _("The transport of %(date)s is full (%(seats)s seats).")
            % {"date": locked.departs_on.isoformat(), "seats": locked.seats}
        )
    if place is None:
        place = selectors.free_place_on(locked.departs_on)
        if place is None:
            raise ConflictError(
                _("No free place at Gjilan from %(date)s.")
                % {"date": locked.departs_on.isoformat()},
                details={"missing": "free place"},
            )
    payload.update(batch=locked.pk, place=place.pk)

    def reserve() -> None:
        reservation = cells_services.reservation_create(
            inmate=case.inmate,
            place=place,
            arrival_on=locked.departs_on,
            reason=_("Transfer case %(pk)s, transport %(batch)s")
            % {"pk": case.pk, "batch": locked},
            actor=actor,
        )
        ManifestEntry.objects.create(batch=locked, case=case, placement=reservation, added_by=actor)
        TransferCase.objects.filter(pk=case.pk).update(placement=reservation)
        case.placement = reservation
        payload["reservation"] = reservation.pk

    return reserve


def _prepare_admit(
    case: TransferCase,
    *,
    actor: User,
    data: dict[str, Any],
    today: date,
    payload: dict[str, Any],
) -> Any:
    entry = _live_manifest(case)
    if entry is None or entry.placement is None:
        raise ConflictError(_("The case holds no reserved place to admit into."))
    on = _parse_date(data, "on", max(today, entry.batch.departs_on))
    judgment = Judgment.objects.filter(inmate_id=case.inmate_id).order_by("-judgment_date").first()
    release = judgment.full_term_date if judgment else None

    def admit() -> None:
        placement = cells_services.placement_admit(
            inmate=case.inmate,
            place=entry.placement.place,  # type: ignore[union-attr]
            on=on,
            reason=_("Transfer case %(pk)s: arrival") % {"pk": case.pk},
            expected_release_on=release if release and release > on else None,
            actor=actor,
        )
        TransferCase.objects.filter(pk=case.pk).update(placement=placement)
        case.placement = placement
        payload.update(placement=placement.pk, on=on.isoformat())

    return admit


def _prepare_release(
    case: TransferCase,
    to: str,
    *,
    actor: User,
    data: dict[str, Any],
    today: date,
    payload: dict[str, Any],
) -> Any:
    placement = case.placement
    if placement is None or placement.kind != Placement.Kind.PLACEMENT:
        raise ConflictError(_("The case holds no placement at Gjilan to end."))
    on = _parse_date(data, "on", today)
    end_reason = {
        S.RETURNED: Placement.EndReason.RETURNED,
        S.DEPORTED: Placement.EndReason.DEPORTED,
        S.RELEASED_NOT_REMOVABLE: Placement.EndReason.RELEASED,
    }[S(to)]

    def release() -> None:
        cells_services.placement_release(
            placement=placement, on=on, end_reason=end_reason, reason=_label(to), actor=actor
        )
        payload.update(placement=placement.pk, on=on.isoformat())

    return release


# --- Parameters -------------------------------------------------------------------------------


@transaction.atomic
def rule_parameter_set(
    *, name: str, raw_value: Any, reason: str, actor: User
) -> EligibilityRuleParameter:
    """Record a new value for a parameter; earlier values stay as its history."""
    _require_role(actor, RULE_ADMINS, _("change eligibility parameters"))
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
        name=name, value=value, reason=reason.strip(), changed_by=actor
    )


# --- Reminders --------------------------------------------------------------------------------


def reminders_run(*, on: date | None = None) -> int:
    """Add one reminder event per case and deadline per day; a rerun adds nothing."""
    on = on or timezone.localdate()
    params = eligibility.params_load()
    horizon = on + timedelta(days=params.reminder_days)
    events: list[CaseEvent] = []
    for case, what, due in selectors.deadlines_due(on=on, horizon=horizon, params=params):
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.REMINDER,
                text=_("%(what)s due on %(date)s.") % {"what": what, "date": due.isoformat()},
                payload={"what": what, "due": due.isoformat()},
                dedupe_key=f"remind:{what}:{due.isoformat()}",
            )
        )
    keys = [event.dedupe_key for event in events]
    with transaction.atomic():
        before = CaseEvent.objects.filter(dedupe_key__in=keys).count()
        CaseEvent.objects.bulk_create(events, ignore_conflicts=True)
        notifications.notify_many(
            [_case_notification(event, Notification.Kind.REMINDER) for event in events]
        )
        return CaseEvent.objects.filter(dedupe_key__in=keys).count() - before


# --- Notifications ----------------------------------------------------------------------------


# How a notification names a transfer case (the subject type, as in the access log).
CASE_SUBJECT = "transfer_case"


def _case_text(case_id: int, text: str) -> str:
    # Only the case number and the event's own words (states, dates): no name, no facts.
    return (_("Case #%(pk)s: %(text)s") % {"pk": case_id, "text": text})[:300]


def _case_notification(event: CaseEvent, kind: str) -> Notification:
    """The caseworker's notification of a case event: one per event (its dedupe key)."""
    return Notification(
        recipient_id=event.case.caseworker_id,
        kind=kind,
        subject_type=CASE_SUBJECT,
        subject_id=str(event.case.pk),
        link=reverse("transfers:case-detail", args=[event.case.pk]),
        text=_case_text(event.case.pk, event.text),
        dedupe_key=event.dedupe_key,
    )


def notify(
    *, recipient: User, kind: str, text: str, case: TransferCase, dedupe_key: str = ""
) -> Notification:
    """Tell a user about a case, in the app and by e-mail (program.notifications sends it).

    With a dedupe key, the same fact for the same recipient and case is one notification.
    """
    return notifications.notify(
        recipient=recipient,
        kind=kind,
        text=text,
        subject_type=CASE_SUBJECT,
        subject_id=case.pk,
        link=reverse("transfers:case-detail", args=[case.pk]),
        dedupe_key=dedupe_key,
    )


# --- On-demand screening ("screen all candidates") ---------------------------------------------


@transaction.atomic
def screen_job_start(*, actor: User) -> ScreeningJob:
    """Queue a run that screens every open case before the proposal and every candidate.

    While one is queued or running, starting again returns that one: two clicks, one job.
    """
    _require_role(actor, CASEWORKERS, _("screen all candidates"))
    # Serialise starters: the lock makes "is one running?" and "start one" a single step.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCREEN_JOB_LOCK_KEY])
    running = (
        ScreeningJob.objects.filter(
            state__in=[ScreeningJob.State.QUEUED, ScreeningJob.State.RUNNING],
            started_at__gte=timezone.now() - timedelta(hours=1),
        )
        .order_by("-id")
        .first()
    )
    if running is not None:
        return running
    job = ScreeningJob.objects.create(started_by=actor)
    # Through the outbox: the job runs once the broker takes it, even if Redis is down now.
    outbox.enqueue("transfers.screen_job_run", job.pk, key=f"screen-job:{job.pk}")
    return job


def _screen_job_population(on: date) -> tuple[list[int], list[int]]:
    case_ids = list(
        TransferCase.objects.filter(closed_at__isnull=True, state__in=SCREENABLE_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with_case = set(
        TransferCase.objects.filter(closed_at__isnull=True).values_list("inmate_id", flat=True)
    )
    candidates = [pk for pk in selectors.sweep_population(on=on) if pk not in with_case]
    return case_ids, candidates


def screen_job_run(*, job_id: int) -> ScreeningJob | None:
    """Run a screening job in chunks, counting `done` as each chunk commits (the progress bar).

    Open cases are screened one by one through case_screen (they move to the outcome);
    candidates without a case are screened in bulk and only changed outcomes are stored. A job
    delivered twice runs once (a session advisory lock per job); a job killed midway is started
    again from the beginning by the redelivery, which harms nothing: screening is repeatable.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [SCREEN_JOB_LOCK_KEY, job_id])
        (locked,) = cursor.fetchone()
    if not locked:
        return None
    try:
        job = ScreeningJob.objects.select_related("started_by").filter(pk=job_id).first()
        if job is None or job.is_over:
            return job
        on = timezone.localdate()
        case_ids, candidates = _screen_job_population(on)
        ScreeningJob.objects.filter(pk=job.pk).update(
            state=ScreeningJob.State.RUNNING, total=len(case_ids) + len(candidates), done=0
        )
        try:
            for start in range(0, len(case_ids), SCREEN_JOB_CASE_CHUNK):
                chunk = case_ids[start : start + SCREEN_JOB_CASE_CHUNK]
                with transaction.atomic():
                    moved = 0
                    for case in TransferCase.objects.filter(pk__in=chunk).order_by("pk"):
                        before = case.state
                        try:
                            with transaction.atomic():
                                case_screen(case=case, actor=job.started_by, on=on)
                        except ApplicationError:
                            continue  # moved on meanwhile: not screenable any more
                        moved += case.state != before
                    ScreeningJob.objects.filter(pk=job.pk).update(
                        done=F("done") + len(chunk), cases_moved=F("cases_moved") + moved
                    )
            for start in range(0, len(candidates), SCREEN_JOB_CANDIDATE_CHUNK):
                chunk = candidates[start : start + SCREEN_JOB_CANDIDATE_CHUNK]
                with transaction.atomic():
                    screenings_run(inmate_ids=chunk, on=on, only_changes=True, actor=None)
                    ScreeningJob.objects.filter(pk=job.pk).update(done=F("done") + len(chunk))
        except Exception:
            ScreeningJob.objects.filter(pk=job.pk).update(
                state=ScreeningJob.State.FAILED, finished_at=timezone.now()
            )
            raise
        ScreeningJob.objects.filter(pk=job.pk).update(
            state=ScreeningJob.State.FINISHED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [SCREEN_JOB_LOCK_KEY, job_id])


# --- Intake of a candidate file -----------------------------------------------------------------


@dataclass(frozen=True)
class IntakeResult:
    created: int
    updated: int
    unchanged: int
    cases_opened: int


@transaction.atomic
def candidates_intake(*, rows: Sequence[InmateRow], actor: User) -> IntakeResult:
    """Import validated candidate rows and open a case for each candidate who never had one.

    All or nothing. Inmates are matched on case number and written only where the file differs
    (the registry's import); an inmate who has or had a transfer case gets no new one, so
    importing the same file again changes nothing.
    """
    _require_role(actor, CASEWORKERS, _("import candidates"))
    imported = inmates_services.inmates_import_csv(rows=rows, actor=actor)
    new_candidates = list(
        Inmate.objects.filter(
            case_number__in=[row.case_number for row in rows], transfer_cases__isnull=True
        )
        .order_by("case_number")
        .values_list("pk", flat=True)
    )
    # What case_open does for one inmate, for all of them in two inserts: a case per inmate
    # and its "opened" event (one case_open each took ~12 s for 10,000 rows; bench/, issue 7).
    try:
        with transaction.atomic():
            cases = TransferCase.objects.bulk_create(
                [TransferCase(inmate_id=pk, caseworker=actor) for pk in new_candidates],
                batch_size=2000,
            )
    except IntegrityError as error:  # another intake opened a case for one of them meanwhile
        raise ConflictError(
            _("One of these inmates got an open transfer case meanwhile; import the file again."),
            details={"case": None},
        ) from error
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case=case, kind=CaseEvent.Kind.OPENED, actor=actor, to_state=case.state)
            for case in cases
        ],
        batch_size=2000,
    )
    opened = len(cases)
    return IntakeResult(
        created=imported.created,
        updated=imported.updated,
        unchanged=imported.unchanged,
        cases_opened=opened,
    )
