"""Reads of transfer cases, shaped for their pages, endpoints and jobs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from program.cells.models import Agreement, Outage, Place, Placement
from program.core import json_rows
from program.core.capabilities import holds
from program.inmates import selectors as inmates_selectors
from program.inmates.csv_import import InmateRow
from program.inmates.models import Country, ExpulsionOrder, Judgment
from program.visits import selectors as visit_selectors
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    EligibilityRuleParameter,
    InmateOpinion,
    ManifestEntry,
    Screening,
    TransferCase,
)

if TYPE_CHECKING:
    from transfers.eligibility import Params

S = TransferCase.State
PRE_DECISION = [
    S.IDENTIFIED,
    S.SCREENING,
    S.ELIGIBLE,
    S.INELIGIBLE,
    S.NEEDS_REVIEW,
    S.PROPOSED,
    S.HOST_REVIEW,
]

SORTS = {
    "updated": "-updated_at",
    "-updated": "updated_at",
    "state": "state",
    "-state": "-state",
    "name": "inmate__name",
    "-name": "-inmate__name",
    "deadline": "next_deadline",
    "-deadline": "-next_deadline",
}


def case_queryset() -> QuerySet[TransferCase]:
    """Cases with what every list shows: inmate, nationalities, caseworker, next deadline."""
    departs = ManifestEntry.objects.filter(case=OuterRef("pk"), removed_at__isnull=True).values(
        "batch__departs_on"
    )[:1]
    return (
        TransferCase.objects.select_related("inmate", "caseworker")
        .prefetch_related(
            Prefetch("inmate__nationalities", queryset=Country.objects.order_by("code"))
        )
        .annotate(departs_on=Subquery(departs))
        .annotate(
            # The deadline the worklist sorts and filters by: appeal window, transport, review.
            next_deadline=_next_deadline()
        )
    )


def _next_deadline() -> Any:
    from django.db.models import Case, DateField, F, When

    return Case(
        When(state=S.NOTIFIED, then=F("appeal_deadline")),
        When(state=S.SCHEDULED, then=F("departs_on")),
        When(state=S.SERVING, then=F("review_due_on")),
        default=None,
        output_field=DateField(),
    )


@dataclass(frozen=True)
class CaseFilters:
    mine: bool = False
    states: tuple[str, ...] = ()
    due_within_days: int | None = None
    nationality: str = ""
    institution: str = ""
    search: str = ""
    include_closed: bool = False
    sort: str = "updated"
    # "Needs my action": the roles of the user asking (empty: no such filter).
    needs_action_of: frozenset[str] = frozenset()
    # One programme's cases (None: every programme's).
    agreement_id: int | None = None


def needs_action(roles: frozenset[str], today: date | None = None) -> Q:
    """Open cases whose next step is this role's and waits for nothing else.

    A state counts when the role owns a move out of it other than withdrawal (the services'
    MOVES), or may screen it; it waits while a clock runs: the appeal window still open, the
    transport not yet departed, the periodic review not yet due.
    """
    from transfers.moves import MOVES, SCREENABLE_STATES

    states = {
        frm
        for (frm, to), move in MOVES.items()
        if to != S.WITHDRAWN and holds(roles, move.capability)
    }
    if holds(roles, "case.screen"):
        states |= set(SCREENABLE_STATES)
    today = today or timezone.localdate()
    waiting = (
        Q(state=S.NOTIFIED, appeal_deadline__gte=today)
        | Q(state=S.SCHEDULED, departs_on__gt=today)
        | Q(state=S.SERVING) & (Q(review_due_on__isnull=True) | Q(review_due_on__gt=today))
    )
    return Q(closed_at__isnull=True, state__in=sorted(states)) & ~waiting


def case_list(*, user: User, filters: CaseFilters) -> QuerySet[TransferCase]:
    cases = case_queryset()
    if filters.agreement_id is not None:
        cases = cases.filter(agreement_id=filters.agreement_id)
    if filters.mine:
        cases = cases.filter(caseworker=user)
    if not filters.include_closed and not filters.states:
        cases = cases.filter(closed_at__isnull=True)
    if filters.states:
        cases = cases.filter(state__in=filters.states)
    if filters.due_within_days is not None:
        today = timezone.localdate()
        cases = cases.filter(  # type: ignore[misc]
            next_deadline__isnull=False,
            next_deadline__lte=today + timedelta(days=filters.due_within_days),
        )
    if filters.nationality:
        cases = cases.filter(inmate__nationalities__code=filters.nationality.upper())
    if filters.institution:
        cases = cases.filter(inmate__home_institution__icontains=filters.institution)
    if filters.needs_action_of:
        cases = cases.filter(needs_action(filters.needs_action_of))
    if filters.search:
        term = filters.search.strip()
        query = Q(inmate__name__icontains=term) | Q(inmate__case_number__icontains=term)
        if term.lstrip("#").isdigit():
            query |= Q(pk=int(term.lstrip("#")))
        cases = cases.filter(query)
    order = SORTS.get(filters.sort, "-updated_at")
    return (
        cases.order_by(order, "-id").distinct()
        if filters.nationality
        else cases.order_by(order, "-id")
    )


def case_detail_queryset(*, now: datetime | None = None) -> QuerySet[TransferCase]:
    """One case for its page, with what the page shows read in the case's own row.

    The nationalities the lists prefetch are not shown there. Whether it has letters, the
    release window's date, the release preparation (a join), the newest screening, the
    documents, the opinions and decisions, the parameters in force and the version of the
    rules' wordings come with the row (CaseRecords reads them back), so the page costs the same
    queries in every state and however many rows each list holds. So do the person's counts of
    family contact beside E15 (`family_contact_row`, program/visits, as of `now`).
    """
    from transfers import eligibility, rule_texts
    from transfers.letters.models import Letter

    by_user = {"recorded_by": USER_NAME}
    return (
        case_queryset()
        .prefetch_related(None)
        .select_related("placement__place__cell", "release_preparation")
        .annotate(
            has_letters=Exists(Letter.objects.filter(case=OuterRef("pk"))),
            # The release window's date (release_preparation.window), read with the row.
            latest_full_term=Subquery(
                Judgment.objects.filter(inmate_id=OuterRef("inmate_id"))
                .order_by("-judgment_date")
                .values("full_term_date")[:1]
            ),
            screening_row=json_rows.json_first(
                Screening.objects.filter(inmate_id=OuterRef("inmate_id")).order_by("-id")
            ),
            document_rows=json_rows.json_array(
                Document.objects.filter(case=OuterRef("pk")).order_by("kind", "-version"),
                related={"uploaded_by": USER_NAME},
            ),
            opinion_rows=json_rows.json_array(
                InmateOpinion.objects.filter(case=OuterRef("pk")).order_by("-recorded_at"),
                related=by_user,
            ),
            decision_rows=json_rows.json_array(
                Decision.objects.filter(case=OuterRef("pk")).order_by("-recorded_at"),
                related=by_user,
            ),
            parameter_rows=json_rows.json_array(
                eligibility.params_in_force(OuterRef("agreement_id"))
            ),
            texts_version=rule_texts.texts_version(),
            family_contact_row=Subquery(
                visit_selectors.contact_counts_rows(
                    inmate_id=OuterRef("inmate_id"), now=now or timezone.now()
                ).values("record")[:1]
            ),
        )
    )


# A user shown by name beside what they recorded: the columns read with the record.
USER_NAME = ("id", "username", "first_name", "last_name")


@dataclass(frozen=True)
class CaseRecords:
    """What case_detail_queryset() read with the case's row, as model instances."""

    screening: Screening | None
    documents: list[Document]
    opinions: list[InmateOpinion]
    decisions: list[Decision]
    params: Params
    texts_version: str


def case_records(case: TransferCase) -> CaseRecords:
    from transfers import eligibility

    row: Any = case
    by_user = {"recorded_by": USER_NAME}
    return CaseRecords(
        screening=json_rows.instance(Screening, row.screening_row),
        documents=json_rows.instances(
            Document, row.document_rows, related={"uploaded_by": USER_NAME}
        ),
        opinions=json_rows.instances(InmateOpinion, row.opinion_rows, related=by_user),
        decisions=json_rows.instances(Decision, row.decision_rows, related=by_user),
        params=eligibility.params_from_rows(
            json_rows.instances(EligibilityRuleParameter, row.parameter_rows)
        ),
        texts_version=row.texts_version,
    )


def case_events(case: TransferCase) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "reason_code").order_by("at", "id")


def latest_screening(case: TransferCase) -> Screening | None:
    return Screening.objects.filter(inmate_id=case.inmate_id).order_by("-id").first()


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    needed_for: str
    latest: Document | None


def document_checklist(
    case: TransferCase, documents: Sequence[Document] | None = None
) -> list[ChecklistItem]:
    """Each required document with its latest version; `documents` (newest version first per
    kind) when the caller has read them already."""
    from transfers.moves import REQUIRED_DOCUMENTS

    if documents is None:
        documents = list(case.documents.select_related("uploaded_by").order_by("kind", "-version"))
    latest: dict[str, Document] = {}
    for document in documents:
        latest.setdefault(document.kind, document)
    items = []
    for state, kinds in REQUIRED_DOCUMENTS.items():
        for kind in kinds:
            items.append(
                ChecklistItem(
                    kind=kind,
                    label=str(Document.Kind(kind).label),
                    needed_for=str(S(state).label),
                    latest=latest.get(kind),
                )
            )
    return items


def place_in_programme(place: Place, *, agreement: Agreement) -> bool:
    return Place.objects.filter(pk=place.pk, cell__unit__facility__agreement=agreement).exists()


def free_place_on(on: date, *, agreement: Agreement) -> Place | None:
    """The first place of the programme nobody holds from `on` on, in use that day, that any
    inmate may use; another programme's places are never offered."""
    held = Placement.objects.filter(
        place=OuterRef("pk"), period__overlap=DateRange(on, None)
    ).exclude(end_reason=Placement.EndReason.CANCELLED)
    out = Outage.objects.filter(
        Q(place=OuterRef("pk")) | Q(cell=OuterRef("cell")), period__contains=on
    )
    return (
        Place.objects.filter(
            cell__unit__facility__agreement=agreement,
            cell__cpt_capacity__gte=1,
            cell__medical_observation=False,
        )
        .exclude(Exists(held))
        .exclude(Exists(out))
        .select_related("cell__unit")
        .order_by("cell__unit__code", "cell__number", "number")
        .first()
    )


def sweep_population(*, on: date) -> list[int]:
    """Inmates the nightly sweep screens: open cases before the decision, and candidates.

    A candidate has a final expulsion order in force, no open case, and holds no place.
    """
    in_case = TransferCase.objects.filter(closed_at__isnull=True, state__in=PRE_DECISION).values(
        "inmate_id"
    )
    any_open = TransferCase.objects.filter(closed_at__isnull=True, inmate_id=OuterRef("inmate_id"))
    placed = Placement.objects.filter(inmate_id=OuterRef("inmate_id"), period__contains=on).exclude(
        end_reason=Placement.EndReason.CANCELLED
    )
    candidates = (
        ExpulsionOrder.objects.filter(final=True, revoked_on__isnull=True)
        .exclude(Exists(any_open))
        .exclude(Exists(placed))
        .values("inmate_id")
    )
    ids = set(in_case.values_list("inmate_id", flat=True)) | set(
        candidates.values_list("inmate_id", flat=True)
    )
    return sorted(ids)


def almost_eligible() -> QuerySet[Screening]:
    """Inmates whose newest screening fails only on a date that will pass, soonest first."""
    newest = (
        Screening.objects.filter(inmate_id=OuterRef("inmate_id")).order_by("-id").values("id")[:1]
    )
    return (
        Screening.objects.filter(eligible_from__isnull=False, id=Subquery(newest))
        .select_related("inmate", "case")
        .order_by("eligible_from", "inmate__name")
    )


def deadlines_due(
    *, on: date, horizon: date, params: Params
) -> Iterator[tuple[TransferCase, str, date]]:
    """(case, what, due) for each deadline up to the horizon: appeal, review, release, transport."""
    cases = case_queryset().filter(closed_at__isnull=True)
    for case in cases.filter(state=S.NOTIFIED, appeal_deadline__range=(on, horizon)):
        yield case, "appeal_window", case.appeal_deadline  # type: ignore[misc]
    for case in cases.filter(state=S.SERVING, review_due_on__lte=horizon):
        yield case, "review", case.review_due_on  # type: ignore[misc]
    for case in cases.filter(state=S.SCHEDULED, departs_on__range=(on, horizon)):  # type: ignore[misc]
        yield case, "transport", case.departs_on  # type: ignore[attr-defined]
    release = Judgment.objects.filter(inmate_id=OuterRef("inmate_id")).order_by("-judgment_date")
    prep = timedelta(days=params.release_prep_days)
    for case in cases.filter(state=S.SERVING).annotate(
        release_on=Subquery(release.values("full_term_date")[:1])
    ):
        release_on = case.release_on
        if release_on is not None and release_on - prep <= horizon:
            yield case, "release_preparation", release_on - prep


@dataclass(frozen=True)
class IntakeLine:
    row: InmateRow
    inmate_action: str  # "create", "update" or "unchanged" (the registry's import plan)
    case_id: int | None  # the inmate's newest transfer case, if any: no new case is opened

    @property
    def opens_case(self) -> bool:
        return self.case_id is None


def intake_plan(*, rows: Sequence[InmateRow]) -> list[IntakeLine]:
    """What importing a candidate file would do, row by row (three queries)."""
    plan = inmates_selectors.inmate_import_plan(rows=rows)
    cases = dict(
        TransferCase.objects.filter(inmate__case_number__in=[row.case_number for row in rows])
        .order_by("inmate__case_number", "created_at", "id")
        .values_list("inmate__case_number", "pk")
    )
    return [
        IntakeLine(row=row, inmate_action=action, case_id=cases.get(row.case_number))
        for row, action in plan.actions
    ]


def manifest_on_board(batch: Any) -> QuerySet[ManifestEntry]:
    """A transport's seats still taken, with the person and the place (two queries)."""
    return (
        ManifestEntry.objects.filter(batch=batch, removed_at__isnull=True)
        .select_related("case__inmate", "placement__place__cell")
        .prefetch_related(
            Prefetch("case__inmate__nationalities", queryset=Country.objects.order_by("code"))
        )
        .order_by("added_at", "id")
    )


def case_file_history(case: TransferCase) -> list[Any]:
    """The case's changes in words, with its decisions, opinions, documents and seats."""
    from django.utils.translation import gettext as _

    from program.audit.selectors import HistoryPart, history_of

    return history_of(
        case,
        parts=[
            HistoryPart("transfers.Decision", "case_id", _("Decision"), ("outcome", "decided_on")),
            HistoryPart("transfers.InmateOpinion", "case_id", _("Inmate's opinion"), ("stance",)),
            HistoryPart("transfers.Document", "case_id", _("Document"), ("kind", "version")),
            HistoryPart("transfers.ManifestEntry", "case_id", _("Seat on a transport"), ("batch",)),
            HistoryPart(
                "transfers.ReleasePreparation",
                "case_id",
                _("Release preparation"),
                ("travel_document_status", "flight_on"),
            ),
        ],
    )


def expected_arrivals(*, agreement_id: int | None = None) -> list[tuple[Any, list[ManifestEntry]]]:
    """Transports with people in transit, by departure day, each with its arriving people and
    their reserved places (one query); one programme's when given."""
    entries = (
        ManifestEntry.objects.filter(removed_at__isnull=True, case__state=S.IN_TRANSIT)
        .filter(Q(batch__agreement_id=agreement_id) if agreement_id is not None else Q())
        .select_related("batch", "case__inmate", "placement__place__cell")
        .order_by("batch__departs_on", "batch_id", "case_id")
    )
    groups: dict[int, tuple[Any, list[ManifestEntry]]] = {}
    for entry in entries:
        groups.setdefault(entry.batch_id, (entry.batch, []))[1].append(entry)
    return list(groups.values())
