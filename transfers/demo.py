"""Demo transfer cases: one or more in every state, consistent with the demo's placements.

Runs after the placements (order 40). Inmates in place at Gjilan are serving (a few admitted, in
release preparation, waiting to return); the ten reservation holders are scheduled on the
December transport; the released placements are deported cases; a few placements end now as a
return to Denmark or a release. Candidates not placed are opened and screened through the
services, then a share of the eligible ones is carried further. Later states are written directly
with the events the services would have added (a long chain of uploads and decisions otherwise);
their events carry the day in `payload["on"]`. Everything is ordered by case number and dated
from DEMO_DAY, so every load is the same; a second load finds the cases and changes nothing.
"""

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.utils import timezone

from program.cells import demo as cells_demo
from program.cells import services as cells_services
from program.cells.models import Agreement, Placement
from program.core.demo import register
from program.core.demo_users import demo_password
from program.core.roles import Role, roles_sync
from program.inmates.models import Inmate
from transfers import eligibility, selectors, services
from transfers.demo_documents import DemoDocuments
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    EligibilityRuleParameter,
    InmateOpinion,
    ManifestEntry,
    ReasonCode,
    ReleasePreparation,
    TransferCase,
    TransportBatch,
)

S = TransferCase.State
K = CaseEvent.Kind
DEMO_DAY = date(2026, 11, 20)  # "today" of the demo's case files
DECEMBER_TRANSPORT = date(2026, 12, 10)  # the cells demo's reservations arrive that day
IN_TRANSIT_DEPARTS = date(2026, 11, 19)
AUTHORITY = "Kriminalforsorgen (Danish Prison and Probation Service)"
LEGAL_BASIS = "Straffuldbyrdelsesloven § 78 a; the Denmark–Kosovo treaty art. 5"
# The main line up to serving; each later state follows from here.
MAIN_LINE: list[str] = [
    S.IDENTIFIED,
    S.ELIGIBLE,
    S.PROPOSED,
    S.HOST_REVIEW,
    S.DECIDED_TRANSFER,
    S.NOTIFIED,
    S.SCHEDULED,
    S.IN_TRANSIT,
    S.ADMITTED,
    S.SERVING,
]
# The moves that end a stay at the host facility.
LEAVING_STATES = frozenset({S.DEPORTED, S.RETURNED, S.RELEASED_NOT_REMOVABLE})
# Two demo paths that are not states: an appeal decided (rejected; the case waits for a seat)
# and a refusal at the gate on arrival, so the programme report has them to count.
APPEAL_DECIDED = "appeal_decided"
GATE_REFUSED = "gate_refused"
# The coded reason a demo path gives for the moves that need one.
PATH_REASONS: dict[str, str] = {
    S.RETURN_PENDING: "return_medical",
    S.WITHDRAWN: "new_proceedings",
    S.DECIDED_NO_TRANSFER: "host_refused",
}


def _caseworker() -> User:
    """The demo caseworker, made here (before the users loader) so cases have their owner."""
    roles_sync()
    user, created = get_user_model().objects.get_or_create(
        username=Role.CASEWORKER.value,
        defaults={
            "first_name": "Demo",
            "last_name": str(Role.CASEWORKER.label),
            "email": "caseworker@example.invalid",
        },
    )
    if created:
        user.set_password(demo_password(Role.CASEWORKER.value))
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.CASEWORKER.value))
    return user


class _Writer:
    """Cases written directly, with the events, decisions and opinions of the path they took."""

    def __init__(self, caseworker: User) -> None:
        self.caseworker = caseworker
        self.events: list[CaseEvent] = []
        self.decisions: list[Decision] = []
        self.opinions: list[InmateOpinion] = []
        self.documents = DemoDocuments(caseworker)
        self.reasons = {reason.code: reason for reason in ReasonCode.objects.all()}

    def documents_for(self, case: TransferCase, state: str, *, on: date) -> None:
        """The documents the checklist asks for before `state`, uploaded the day before."""
        for kind in services.REQUIRED_DOCUMENTS.get(state, ()):
            self.documents.add(case, kind, on - timedelta(days=1))
            self._event(
                case,
                K.DOCUMENT,
                on=on - timedelta(days=1),
                text=f"{Document.Kind(kind).label} v1",
                payload={"kind": kind, "version": 1},
            )

    def path_events(
        self,
        case: TransferCase,
        path: Sequence[str],
        *,
        start: date,
        step_days: int = 7,
        ends_on: date | None = None,
    ) -> None:
        """Events for each step of `path` (from its first state), `step_days` apart from
        `start`. A stay that ended (`ends_on`, the placement's last day + 1) has its leaving move
        on that day and the step before it (release preparation, a pending return) a month
        earlier, so the programme report's removals, returns and occupancy agree."""
        on = start
        if path[0] == S.IDENTIFIED:
            self._event(case, K.OPENED, to_state=S.IDENTIFIED, on=on)
        for before, after in itertools.pairwise(path):
            on += timedelta(days=step_days)
            if ends_on is not None and after in LEAVING_STATES:
                on = ends_on
            elif ends_on is not None and after in (S.RELEASE_PREP, S.RETURN_PENDING):
                on = max(on, ends_on - timedelta(days=30))
            # Arrival and the end of a stay are the administrator's moves: shown as the system.
            system = after in (S.ADMITTED, S.SERVING, S.RETURNED)
            if before == S.IDENTIFIED and after in (S.ELIGIBLE, S.INELIGIBLE, S.NEEDS_REVIEW):
                self._event(
                    case,
                    K.SCREENING,
                    from_state=before,
                    to_state=after,
                    on=on,
                    payload={"outcome": after, "rule_set_version": eligibility.RULESET_VERSION},
                )
                continue
            if after == S.DECIDED_TRANSFER:
                self.opinions.append(
                    InmateOpinion(
                        case=case,
                        stance=InmateOpinion.Stance.OBJECTS,
                        heard_on=on - timedelta(days=2),
                        language="English",
                        interpreter_used=True,
                        recorded_by=self.caseworker,
                    )
                )
                self._event(
                    case,
                    K.OPINION,
                    on=on - timedelta(days=2),
                    text="Objects",
                    payload={"stance": InmateOpinion.Stance.OBJECTS},
                )
                self.decisions.append(
                    Decision(
                        case=case,
                        outcome=Decision.Outcome.TRANSFER,
                        authority=AUTHORITY,
                        legal_basis=LEGAL_BASIS,
                        decided_on=on,
                        recorded_by=self.caseworker,
                    )
                )
                self._event(
                    case,
                    K.DECISION,
                    on=on,
                    text=f"Transfer: {AUTHORITY}, {LEGAL_BASIS}",
                    payload={"outcome": Decision.Outcome.TRANSFER},
                )
            self.documents_for(case, after, on=on)
            self._event(
                case,
                K.TRANSITION,
                from_state=before,
                to_state=after,
                on=on,
                system=system,
                reason=self.reasons.get(PATH_REASONS.get(after, "")),
            )

    def move(
        self, case: TransferCase, to: str, *, on: date, reason: str = "", **fields: Any
    ) -> None:
        """One more step for a case already written: state, fields and its event."""
        before = case.state
        self.documents_for(case, to, on=on)
        case.state = to
        case.version += 1
        if to in services.CLOSED_STATES:
            case.closed_at = timezone.now()
        for name, value in fields.items():
            setattr(case, name, value)
        case.save()
        self._event(
            case,
            K.TRANSITION,
            from_state=before,
            to_state=to,
            on=on,
            reason=self.reasons.get(reason) if reason else None,
        )

    def _event(
        self,
        case: TransferCase,
        kind: str,
        *,
        on: date,
        from_state: str = "",
        to_state: str = "",
        text: str = "",
        system: bool = False,
        reason: ReasonCode | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            CaseEvent(
                case=case,
                kind=kind,
                from_state=from_state,
                to_state=to_state,
                actor=None if system else self.caseworker,
                reason_code=reason,
                text=text,
                payload={**(payload or {}), "on": on.isoformat(), "demo": True},
            )
        )

    def save(self) -> None:
        CaseEvent.objects.bulk_create(self.events)
        Decision.objects.bulk_create(self.decisions)
        InmateOpinion.objects.bulk_create(self.opinions)
        self.documents.save()


def _programme() -> Agreement:
    """The Gjilan programme the cells demo loaded: every case file here is one of its."""
    return Agreement.objects.get(name=cells_demo.AGREEMENT_NAME)


def _stay_cases(writer: _Writer, caseworker: User) -> dict[str, int]:
    """Cases for everyone who holds or held a place: serving, scheduled, deported and the rest."""
    counts: dict[str, int] = {}
    placements = list(
        Placement.objects.filter(kind=Placement.Kind.PLACEMENT)
        .select_related("inmate")
        .order_by("inmate__case_number")
    )
    current = [p for p in placements if not p.end_reason]
    # Leave a few stays now, through the cells services, so the closed states have real ends.
    ending = {current[i].pk: (S.RETURNED, Placement.EndReason.RETURNED) for i in (40, 120, 200)} | {
        current[160].pk: (S.RELEASED_NOT_REMOVABLE, Placement.EndReason.RELEASED)
    }
    latest_arrivals = {p.pk for p in sorted(current, key=lambda p: (p.period.lower, p.pk))[-2:]}
    return_pending = {current[i].pk for i in (10, 90)}
    cases: list[tuple[TransferCase, Placement, list[str]]] = []
    programme = _programme()
    for placement in placements:
        arrived: date = placement.period.lower
        path = list(MAIN_LINE)
        if placement.end_reason == Placement.EndReason.DEPORTED:
            path += [S.RELEASE_PREP, S.DEPORTED]
        elif placement.pk in ending:
            final, end_reason = ending[placement.pk]
            if final == S.RETURNED:
                path += [S.RETURN_PENDING, S.RETURNED]
            else:
                path += [S.RELEASE_PREP, S.RELEASED_NOT_REMOVABLE]
            placement = cells_services.placement_release(
                placement=placement,
                on=DEMO_DAY - timedelta(days=3),
                end_reason=end_reason,
                reason=f"{S(final).label} (demo)",
                actor=None,
            )
        elif placement.pk in latest_arrivals:
            path = path[: path.index(S.ADMITTED) + 1]
        elif placement.pk in return_pending:
            path += [S.RETURN_PENDING]
        elif (
            placement.expected_release_on
            and placement.expected_release_on <= DEMO_DAY + timedelta(days=90)
        ):
            path += [S.RELEASE_PREP]
        notified_on = arrived - timedelta(days=75)
        case = TransferCase(
            inmate=placement.inmate,
            agreement=programme,
            caseworker=caseworker,
            state=path[-1],
            version=len(path),
            closed_at=timezone.now() if path[-1] in services.CLOSED_STATES else None,
            notified_on=notified_on,
            notification_language="English",
            appeal_deadline=notified_on + timedelta(days=60),
            placement=placement,
            review_due_on=arrived + timedelta(days=180),
        )
        cases.append((case, placement, path))
        counts[path[-1]] = counts.get(path[-1], 0) + 1
    TransferCase.objects.bulk_create([case for case, _p, _path in cases])
    for n, (case, placement, path) in enumerate(cases):
        # Steps of 5 to 17 days, so the days from candidate to decision and from decision to
        # arrival spread as real cases do.
        step = 5 + 2 * (n % 7)
        start = placement.period.lower - timedelta(days=step * (path.index(S.ADMITTED)))
        ended = placement.period.upper if placement.end_reason else None
        writer.path_events(case, path, start=start, step_days=step, ends_on=ended)
    # A deportation needs the travel document, the acceptance and the flight: the deported
    # cases show them done, a few days before the placement ended.
    ReleasePreparation.objects.bulk_create(
        [
            _completed_preparation(case, placement, caseworker)
            for case, placement, path in cases
            if path[-1] == S.DEPORTED
        ]
    )
    _december_transport(writer, caseworker, counts)
    return counts


def _completed_preparation(
    case: TransferCase, placement: Placement, caseworker: User
) -> ReleasePreparation:
    left: date = placement.period.upper or DEMO_DAY
    return ReleasePreparation(
        case=case,
        travel_document_status=ReleasePreparation.TravelDocumentStatus.ISSUED,
        travel_document_kind=ReleasePreparation.TravelDocumentKind.EMERGENCY,
        travel_document_issued_on=left - timedelta(days=30),
        destination_accepted_on=left - timedelta(days=21),
        destination_reference=f"RA-{case.pk}",
        flight_on=left,
        escort_note="Escorted by two officers of the Prison and Probation Service",
        version=3,
        updated_by=caseworker,
    )


def _december_transport(writer: _Writer, caseworker: User, counts: dict[str, int]) -> None:
    reservations = list(
        Placement.objects.filter(kind=Placement.Kind.RESERVATION, end_reason="")
        .select_related("inmate")
        .order_by("inmate__case_number")
    )
    if not reservations:
        return
    programme = _programme()
    batch = TransportBatch.objects.create(
        agreement=programme,
        departs_on=DECEMBER_TRANSPORT,
        direction=TransportBatch.Direction.TO_HOST,
        seats=len(reservations) + 2,
        escort="Eight officers of the Prison and Probation Service, two interpreters, a nurse",
        created_by=caseworker,
    )
    path = MAIN_LINE[: MAIN_LINE.index(S.SCHEDULED) + 1]
    entries = []
    for reservation in reservations:
        notified_on = date(2026, 9, 1)
        case = TransferCase.objects.create(
            inmate=reservation.inmate,
            agreement=programme,
            caseworker=caseworker,
            state=S.SCHEDULED,
            version=len(path),
            notified_on=notified_on,
            notification_language="English",
            appeal_deadline=notified_on + timedelta(days=60),
            placement=reservation,
        )
        writer.path_events(case, path, start=date(2026, 7, 14), step_days=14)
        entries.append(
            ManifestEntry(batch=batch, case=case, placement=reservation, added_by=caseworker)
        )
    ManifestEntry.objects.bulk_create(entries)
    counts[S.SCHEDULED] = counts.get(S.SCHEDULED, 0) + len(entries)


# The inmates demo's candidates without a place mostly fail a rule (that is their purpose), and
# its eligible ones are all placed; the pipeline needs people who pass. These are added here,
# synthetic like the rest: a long final sentence, a final expulsion order, low risk.
PIPELINE = [
    ("KF-2026-30001", "Driton Gashi", "AL", date(1988, 3, 14)),
    ("KF-2026-30002", "Besnik Morina", "AL", date(1979, 7, 2)),
    ("KF-2026-30003", "Nikola Ilic", "RS", date(1991, 11, 23)),
    ("KF-2026-30004", "Marko Stojanovic", "RS", date(1984, 5, 9)),
    ("KF-2026-30005", "Emre Aydin", "TR", date(1990, 1, 30)),
    ("KF-2026-30006", "Murat Celik", "TR", date(1976, 9, 17)),
    ("KF-2026-30007", "Youssef Idrissi", "MA", date(1993, 6, 5)),
    ("KF-2026-30008", "Karim Alaoui", "MA", date(1986, 12, 11)),
    ("KF-2026-30009", "Anis Ben Salah", "TN", date(1982, 4, 28)),
    ("KF-2026-30010", "Walid Mansouri", "TN", date(1995, 8, 19)),
    ("KF-2026-30011", "Chinedu Eze", "NG", date(1987, 2, 3)),
    ("KF-2026-30012", "Tunde Bakare", "NG", date(1980, 10, 12)),
    ("KF-2026-30013", "Giorgi Lomidze", "GE", date(1989, 7, 21)),
    ("KF-2026-30014", "Levan Tsiklauri", "GE", date(1983, 3, 8)),
    ("KF-2026-30015", "Imran Qureshi", "PK", date(1992, 5, 16)),
    ("KF-2026-30016", "Bilal Mirza", "PK", date(1985, 11, 1)),
    ("KF-2026-30017", "Minh Pham", "VN", date(1990, 9, 27)),
    ("KF-2026-30018", "Duc Hoang", "VN", date(1978, 1, 15)),
    ("KF-2026-30019", "Oleksandr Melnyk", "UA", date(1987, 6, 30)),
    # Left without a case: a candidate for the nightly sweep and for opening in the browser.
    ("KF-2026-30022", "Filmon Berhe", "ER", date(1991, 4, 4)),
]


def _pipeline_inmates() -> list[Inmate]:
    from program.inmates.models import Country, ExpulsionOrder, Judgment

    countries = Country.objects.in_bulk([code for _c, _n, code, _b in PIPELINE])
    inmates = []
    for n, (case_number, name, code, born) in enumerate(PIPELINE):
        inmate, created = Inmate.objects.get_or_create(
            case_number=case_number,
            defaults={
                "name": name,
                "date_of_birth": born,
                "sex": Inmate.Sex.MALE,
                "languages": ["English"],
                "country_of_return": countries[code],
                "return_readmits": Inmate.Readmission.YES,
                "return_readmits_reason": "Rejsedokument foreligger (demo).",
                "security_level": Inmate.SecurityLevel.LOW,
                "home_institution": "Nyborg State Prison",
            },
        )
        if created:
            inmate.nationalities.set([countries[code]])
            judged = date(2025, 3, 3) + timedelta(days=9 * n)
            Judgment.objects.create(
                inmate=inmate,
                court="Copenhagen City Court",
                judgment_date=judged,
                final_on=judged + timedelta(days=30),
                sentence_type="fixed_term",
                length_days=2190 + 30 * n,
                remand_days=60,
                sentence_start=judged,
            )
            ExpulsionOrder.objects.create(
                inmate=inmate, ordered_on=judged, final=True, entry_ban_permanent=True
            )
        inmates.append(inmate)
    return inmates


def _candidate_cases(writer: _Writer, caseworker: User, counts: dict[str, int]) -> None:
    """Candidates without a place: opened and screened through the services, then carried on."""
    pool = list(
        Inmate.objects.filter(case_number__startswith="KF-", transfer_cases__isnull=True)
        .exclude(placements__isnull=False)
        .exclude(case_number__in=[row[0] for row in PIPELINE])
        .order_by("case_number")
    )
    # The pipeline first: its screenings come out eligible, and the plan below carries them on.
    opened = [
        services.case_open(inmate=inmate, actor=caseworker, agreement=_programme())
        for inmate in [*_pipeline_inmates()[:-1], *pool[:70]]
    ]
    screened, waiting = opened[:-8], opened[-8:]
    for case in waiting[:3]:
        services.case_transition(case=case, to=S.SCREENING, actor=caseworker)
    for case in screened:
        services.case_screen(case=case, actor=caseworker, on=DEMO_DAY)
    eligible = [case for case in screened if case.state == S.ELIGIBLE]
    # The rules exclude a few for good: closed as not eligible (not withdrawn).
    for case in [case for case in screened if case.state == S.INELIGIBLE][:2]:
        writer.move(
            case, S.CLOSED_INELIGIBLE, on=DEMO_DAY - timedelta(days=5), reason="ineligible_rules"
        )
    plan = [
        (S.PROPOSED, 3),
        (S.HOST_REVIEW, 3),
        (S.DECIDED_TRANSFER, 2),
        (S.DECIDED_NO_TRANSFER, 1),
        (S.NOTIFIED, 3),
        (S.UNDER_APPEAL, 1),
        (APPEAL_DECIDED, 1),
        (S.WITHDRAWN, 2),
        (S.IN_TRANSIT, 1),
        (GATE_REFUSED, 1),
    ]
    queue = iter(eligible)
    for target, how_many in plan:
        for chosen in [next(queue, None) for _n in range(how_many)]:
            if chosen is not None:
                _carry(writer, chosen, target)
    for case in opened:
        counts[case.state] = counts.get(case.state, 0) + 1


def _carry(writer: _Writer, case: TransferCase, target: str) -> None:
    on = DEMO_DAY - timedelta(days=70)
    if target == S.WITHDRAWN:
        writer.move(case, S.WITHDRAWN, on=on, reason="new_proceedings")
        return
    writer.move(case, S.PROPOSED, on=on)
    if target == S.PROPOSED:
        return
    writer.move(case, S.HOST_REVIEW, on=on + timedelta(days=7))
    if target == S.HOST_REVIEW:
        return
    decided = on + timedelta(days=21)
    no_transfer = target == S.DECIDED_NO_TRANSFER
    writer.opinions.append(
        InmateOpinion(
            case=case,
            stance=InmateOpinion.Stance.OBJECTS,
            heard_on=decided - timedelta(days=3),
            language="English",
            recorded_by=writer.caseworker,
        )
    )
    writer.decisions.append(
        Decision(
            case=case,
            outcome=Decision.Outcome.NO_TRANSFER if no_transfer else Decision.Outcome.TRANSFER,
            authority=AUTHORITY,
            legal_basis=LEGAL_BASIS,
            decided_on=decided,
            recorded_by=writer.caseworker,
        )
    )
    if no_transfer:
        writer.move(case, S.DECIDED_NO_TRANSFER, on=decided, reason="host_refused")
        return
    writer.move(case, S.DECIDED_TRANSFER, on=decided)
    if target == S.DECIDED_TRANSFER:
        return
    # Notified recently (the window is open) or, for those on the way, long enough ago.
    on_the_way = target in (S.IN_TRANSIT, GATE_REFUSED)
    notified = DEMO_DAY - timedelta(days=75 if on_the_way else 20)
    writer.move(
        case,
        S.NOTIFIED,
        on=notified,
        notified_on=notified,
        notification_language="English",
        appeal_deadline=notified + timedelta(days=60),
    )
    if target in (S.UNDER_APPEAL, APPEAL_DECIDED):
        lodged = notified + timedelta(days=10)
        writer.move(case, S.UNDER_APPEAL, on=lodged, appeal_lodged_on=lodged)
        if target == APPEAL_DECIDED:
            _appeal_rejected(writer, case, decided_on=lodged + timedelta(days=5))
    elif on_the_way:
        _on_the_way(writer, case)
        if target == GATE_REFUSED and case.state == S.IN_TRANSIT:
            _refused_at_gate(writer, case)


def _appeal_rejected(writer: _Writer, case: TransferCase, *, decided_on: date) -> None:
    """The appeal's outcome as appeal_decide records it: the transfer stands; with no seat held,
    the case waits under appeal for its booking."""
    case.appeal_outcome = TransferCase.AppealOutcome.REJECTED
    case.appeal_decided_on = decided_on
    case.version += 1
    case.save()
    writer._event(
        case,
        K.APPEAL,
        on=decided_on,
        text=f"Appeal decided on {decided_on.isoformat()}: "
        f"{TransferCase.AppealOutcome.REJECTED.label}.",
        payload={"outcome": "rejected", "decided_on": decided_on.isoformat(), "state": case.state},
    )


def _refused_at_gate(writer: _Writer, case: TransferCase) -> None:
    """The host facility did not admit the person on arrival: back to Denmark, the reserved
    place freed and the seat given up, as the gate refusal does."""
    arrived = IN_TRANSIT_DEPARTS + timedelta(days=1)
    entry = ManifestEntry.objects.select_related("placement").get(case=case, removed_at=None)
    if entry.placement is not None:
        cells_services.reservation_cancel(
            reservation=entry.placement,
            reason=f"Transfer case {case.pk}: refused at the gate (demo)",
            actor=None,
        )
    entry.removed_at = timezone.now()
    entry.save(update_fields=["removed_at"])
    writer.move(case, S.RETURNED, on=arrived, reason="gate_refusal")


def _on_the_way(writer: _Writer, case: TransferCase) -> None:
    programme = _programme()
    batch, _created = TransportBatch.objects.get_or_create(
        agreement=programme,
        departs_on=IN_TRANSIT_DEPARTS,
        direction=TransportBatch.Direction.TO_HOST,
        defaults={
            "seats": 4,
            "escort": "Four officers, an interpreter",
            "created_by": writer.caseworker,
        },
    )
    place = selectors.free_place_on(IN_TRANSIT_DEPARTS, agreement=programme)
    if place is None:
        return
    reservation = cells_services.reservation_create(
        inmate=case.inmate,
        place=place,
        arrival_on=IN_TRANSIT_DEPARTS,
        reason=f"Transfer case {case.pk}, transport {batch} (demo)",
        actor=None,
    )
    ManifestEntry.objects.create(
        batch=batch, case=case, placement=reservation, added_by=writer.caseworker
    )
    writer.move(
        case, S.SCHEDULED, on=IN_TRANSIT_DEPARTS - timedelta(days=14), placement=reservation
    )
    writer.move(case, S.IN_TRANSIT, on=IN_TRANSIT_DEPARTS)


@register(order=50)
def load(out: TextIO) -> None:
    if TransferCase.objects.filter(inmate__case_number__startswith="KF-").exists():
        out.write(f"Transfer cases: {TransferCase.objects.count()} (already there)\n")
        return
    if not Placement.objects.exists():
        out.write("Transfer cases: no placements to build on; skipped\n")
        return
    caseworker = _caseworker()
    writer = _Writer(caseworker)
    counts = _stay_cases(writer, caseworker)
    _candidate_cases(writer, caseworker, counts)
    writer.save()
    summary = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    out.write(f"Transfer cases: {sum(counts.values())} ({summary})\n")


# The Sweden–Estonia programme's own rule parameters (the cells demo creates the programme):
# different from Gjilan's, so the rules page and screening show each programme its own set.
SECOND_PROGRAMME_PARAMETERS = {
    "sexes_admitted": ["F", "M"],
    "min_days_left": 365,
    "capacity_lead_days": 45,
}


@register(order=51)
def second_programme_parameters(out: TextIO) -> None:
    programme = Agreement.objects.filter(name=cells_demo.SECOND_AGREEMENT_NAME).first()
    if programme is None or EligibilityRuleParameter.objects.filter(agreement=programme).exists():
        return
    EligibilityRuleParameter.objects.bulk_create(
        EligibilityRuleParameter(
            agreement=programme,
            name=name,
            value=value,
            reason="The Sweden–Estonia agreement's terms (demo)",
        )
        for name, value in SECOND_PROGRAMME_PARAMETERS.items()
    )
    out.write(f"Rule parameters of {programme.name}: {len(SECOND_PROGRAMME_PARAMETERS)}\n")
