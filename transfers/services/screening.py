"""Eligibility screening: of many inmates at once (the sweep, the screening job) and of one case
on demand, which moves the case to the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells import programmes
from program.cells.models import Agreement
from program.core.errors import ConflictError
from program.notifications import services as notifications
from program.notifications.models import Notification
from transfers import eligibility, selectors
from transfers.models import (
    CaseEvent,
    InmateOpinion,
    Screening,
    TransferCase,
)
from transfers.moves import SCREENABLE_STATES
from transfers.services._common import (
    _cas,
    _case_notification,
    _caseworker_languages,
    _event,
    _label,
    _outcome_changed_text,
    _require_read_version,
    _require_role,
)

# pg_advisory_xact_lock key of the eligibility sweep: two sweeps take turns chunk by chunk.
SWEEP_LOCK_KEY = 0x7472_616E_7366  # "transf"
SWEEP_CHUNK = 500


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
    open_cases = {  # 1 query
        case.inmate_id: case
        for case in TransferCase.objects.filter(inmate_id__in=ids, closed_at__isnull=True)
    }
    with_opinion = set(  # 1 query
        InmateOpinion.objects.filter(case__in=list(open_cases.values())).values_list(
            "case__inmate_id", flat=True
        )
    )
    # Each programme's own parameters and capacity (a few queries per programme, not per
    # inmate); a candidate without a case is screened for the default programme.
    default = programmes.user_programme(actor) if actor is not None else None
    default = default or programmes.programme_list().first()
    programme_of = {
        inmate_id: open_cases[inmate_id].agreement_id if inmate_id in open_cases else None
        for inmate_id in ids
    }
    default_id = default.pk if default is not None else None
    wanted = {pk or default_id for pk in programme_of.values()}
    by_pk = {a.pk: a for a in Agreement.objects.filter(pk__in=[pk for pk in wanted if pk])}
    params_of = {pk: eligibility.params_load(pk) for pk in wanted}
    capacity_of = {pk: eligibility.capacity_on(on, by_pk.get(pk) if pk else None) for pk in wanted}
    snapshots: dict[int, eligibility.Snapshot] = {}
    for pk in wanted:
        group = [i for i in ids if (programme_of[i] or default_id) == pk]
        snapshots.update(
            eligibility.snapshots_for(  # 5 queries
                group, on=on, capacity=capacity_of[pk], opinions=with_opinion
            )
        )
    # 1 query: the newest screening per inmate (DISTINCT ON), as (outcome, fingerprint) tuples:
    # model instances cost the sweep seconds at 100,000 candidates (measured with make bench).
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
        result = eligibility.evaluate(snapshot, params_of[programme_of[inmate_id] or default_id])
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
                        text=_outcome_changed_text(before, result.outcome),
                        payload={"before": before, "after": result.outcome, "on": on.isoformat()},
                        dedupe_key=f"sweep:{on.isoformat()}:{result.fingerprint[:32]}",
                    )
                )
    Screening.objects.bulk_create(new)  # 1 query
    CaseEvent.objects.bulk_create(events, ignore_conflicts=True)  # 1 query
    if events:  # 3 queries: languages, the notifications, which of them still wait for e-mail
        languages = _caseworker_languages(events)  # 1 query
        notifications.notify_many(
            [
                _case_notification(event, Notification.Kind.OUTCOME_CHANGED, languages)
                for event in events
            ]
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
        _require_role(actor, "case.screen", _("screen a case"))
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
        payload={
            "screening": screening.pk,
            "outcome": screening.outcome,
            "rule_set_version": screening.rule_set_version,
        },
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
