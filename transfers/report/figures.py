"""The programme report's figures: each one set-based query, dated by the day things happened.

A figure on the case timeline starts from `CaseEvent` rows (the moves the services write) and
dates each by the day it happened, as recorded with the move: the `on` day of an arrival,
departure or end of stay, the day an appeal was lodged or decided, the decision's own date for a
decision; only a move that records no day of its own (a refusal at the gate) is dated by the day
it was recorded (Copenhagen time). Nothing reads a case's current state, so events recorded
after a period, about days after it, leave its figures unchanged. Occupancy is counted from the
placements, cost per occupied place-day by finance's own counting (finance.selectors).

To add a figure (incidents, once the system records them): write its events
query and its summary, and add a `Figure` to `FIGURES`; the page, the exports, the API and the
drill-down pick it up. Until then `NOT_RECORDED` names it on the report, with no number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    BooleanField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import selectors as finance_selectors
from program.cells.models import Agreement
from program.core.bilingual import pick
from program.inmates.models import Judgment
from program.inspections import selectors as inspection_selectors
from transfers.models import CaseEvent, Decision, TransferCase
from transfers.report.periods import Period
from transfers.report.programme import programme_cases

S = TransferCase.State
K = CaseEvent.Kind
ONE_DECIMAL = Decimal("0.1")

# --- Expressions ------------------------------------------------------------------------------


def _payload_day(key: str) -> Cast:
    return Cast(KeyTextTransform(key, "payload"), DateField())


def _recorded_day() -> TruncDate:
    return TruncDate("at", tzinfo=ZoneInfo(settings.TIME_ZONE))


class DaysBetween(Func):
    """later - earlier for two dates: whole days (PostgreSQL's date subtraction)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value below which `fraction` of the rows lie, with
    linear interpolation between the two nearest (the median at 0.5)."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        # The fraction is a constant of this module, never user input.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _one_decimal(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- The scope of one report -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """One programme over [start, until): until is the period's end, or tomorrow while the
    period is still running (nothing is counted ahead of today)."""

    agreement: Agreement
    period: Period
    start: date
    until: date

    @property
    def last_day(self) -> date:
        return self.until - timedelta(days=1)

    @property
    def complete(self) -> bool:
        return self.until >= self.period.end


def scope_for(*, agreement: Agreement, period: Period, today: date) -> Scope:
    until = min(period.end, today + timedelta(days=1))
    return Scope(agreement=agreement, period=period, start=period.start, until=until)


def _moves(
    scope: Scope, *, to: str, frm: Sequence[str] = (), day: Any = None
) -> QuerySet[CaseEvent]:
    """The programme's moves into `to` (from one of `frm`) that happened in the scope, each
    annotated with `day`: the day recorded with the move, the decision's date, or else the
    day it was recorded."""
    events = CaseEvent.objects.filter(
        kind=K.TRANSITION, to_state=to, case__in=programme_cases(scope.agreement)
    )
    if frm:
        events = events.filter(from_state__in=list(frm))
    events = events.annotate(
        decision_ref=Cast(KeyTextTransform("decision", "payload"), BigIntegerField())
    ).annotate(
        day=day
        if day is not None
        else Coalesce(
            _payload_day("on"),
            Subquery(Decision.objects.filter(pk=OuterRef("decision_ref")).values("decided_on")),
            _recorded_day(),
        )
    )
    return events.filter(day__gte=scope.start, day__lt=scope.until)


def _opened_day() -> Subquery:
    """The day the case was opened (the person became a candidate), from its first event."""
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("case"), kind=K.OPENED)
        .annotate(opened=Coalesce(_payload_day("on"), _recorded_day()))
        .order_by("at", "id")
        .values("opened")[:1]
    )


def _transfer_decided_on() -> Subquery:
    """The date of the latest decision to transfer on or before the event's day."""
    return Subquery(
        Decision.objects.filter(
            case=OuterRef("case"),
            outcome=Decision.Outcome.TRANSFER,
            decided_on__lte=OuterRef("day"),
        )
        .order_by("-decided_on", "-id")
        .values("decided_on")[:1]
    )


def _release_day() -> Subquery:
    """The inmate's release day: the full-term date of the latest judgment (the deportation
    guard reads the same)."""
    return Subquery(
        Judgment.objects.filter(inmate_id=OuterRef("case__inmate_id"))
        .order_by("-judgment_date")
        .values("full_term_date")[:1]
    )


# --- The events behind each figure ------------------------------------------------------------

APPEAL_UPHELD = "appeal_upheld"
# An upheld appeal ends the case in "decided: no transfer" from these states, with no coded
# reason of its own (transfers/services/appeals.py).
UPHELD_FROM = [S.UNDER_APPEAL, S.SCHEDULED]


def decided_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.DECIDED_TRANSFER)


def refused_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.DECIDED_NO_TRANSFER)


def arrived_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.ADMITTED, frm=[S.IN_TRANSIT])


def days_to_decision_events(scope: Scope) -> QuerySet[CaseEvent]:
    return (
        decided_events(scope)
        .annotate(since=_opened_day())
        .annotate(value=DaysBetween(F("day"), F("since")))
    )


def days_to_arrival_events(scope: Scope) -> QuerySet[CaseEvent]:
    return (
        arrived_events(scope)
        .annotate(since=_transfer_decided_on())
        .annotate(value=DaysBetween(F("day"), F("since")))
    )


def appeals_lodged_events(scope: Scope) -> QuerySet[CaseEvent]:
    lodged = Coalesce(_payload_day("lodged_on"), _payload_day("on"), _recorded_day())
    return _moves(scope, to=S.UNDER_APPEAL, day=lodged)


def appeal_outcome_events(scope: Scope) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(kind=K.APPEAL, case__in=programme_cases(scope.agreement))
        .exclude(payload__outcome=None)
        .annotate(
            day=Coalesce(_payload_day("decided_on"), _payload_day("on"), _recorded_day()),
            outcome=KeyTextTransform("outcome", "payload"),
        )
        .filter(day__gte=scope.start, day__lt=scope.until)
    )


def gate_refusal_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.RETURNED, frm=[S.IN_TRANSIT])


def _return_reason(field_name: str) -> Subquery:
    """The coded reason of the move that made the return pending (the latest before it)."""
    return Subquery(
        CaseEvent.objects.filter(
            case=OuterRef("case"),
            kind=K.TRANSITION,
            to_state=S.RETURN_PENDING,
            at__lte=OuterRef("at"),
        )
        .order_by("-at", "-id")
        .values(field_name)[:1]
    )


def return_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.RETURNED, frm=[S.RETURN_PENDING]).annotate(
        why=_return_reason("reason_code_id"),
        why_da=_return_reason("reason_code__label_da"),
        why_en=_return_reason("reason_code__label_en"),
    )


def removal_events(scope: Scope) -> QuerySet[CaseEvent]:
    return (
        _moves(scope, to=S.DEPORTED)
        .annotate(since=_release_day())
        .annotate(value=DaysBetween(F("day"), F("since")))
    )


def not_removable_events(scope: Scope) -> QuerySet[CaseEvent]:
    return _moves(scope, to=S.RELEASED_NOT_REMOVABLE)


# --- Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One number of a figure. `kind` says how it reads: count, days, places, place_days,
    percent or money (in the report's currency)."""

    key: str
    label: str
    value: int | Decimal | None
    kind: str = "count"


def _count_row(key: str, label: str, events: QuerySet[CaseEvent]) -> list[Row]:
    return [Row(key, label, events.count())]


def _by_reason(events: QuerySet[CaseEvent], *, appeal_label: str = "") -> list[Row]:
    """A total and one row per coded reason (largest first), in one grouped query."""
    grouped = (
        events.annotate(
            by_appeal=ExpressionWrapper(
                Q(reason_code__isnull=True) & Q(from_state__in=UPHELD_FROM),
                output_field=BooleanField(),
            )
        )
        .values("reason_code_id", "reason_code__label_da", "reason_code__label_en", "by_appeal")
        .annotate(n=Count("id"))
        .order_by("-n", "reason_code_id")
    )
    rows: list[Row] = []
    for group in grouped:
        if group["reason_code_id"]:
            key = group["reason_code_id"]
            label = pick(da=group["reason_code__label_da"], en=group["reason_code__label_en"])
        elif appeal_label and group["by_appeal"]:
            key, label = APPEAL_UPHELD, appeal_label
        else:
            key, label = "none", _("No coded reason recorded")
        rows.append(Row(f"reason:{key}", label, group["n"]))
    return [Row("total", _("In all"), sum(int(row.value or 0) for row in rows)), *rows]


def _durations(events: QuerySet[CaseEvent]) -> list[Row]:
    # `value` is the events query's annotation, which the type stubs cannot see.
    stats = events.filter(value__isnull=False).aggregate(  # type: ignore[misc]
        n=Count("id"),
        median=PercentileCont("value", 0.5),
        p90=PercentileCont("value", 0.9),
    )
    return [
        Row("cases", _("Cases counted"), stats["n"]),
        Row("median", _("Median"), _one_decimal(stats["median"]), "days"),
        Row("p90", _("90th percentile"), _one_decimal(stats["p90"]), "days"),
    ]


def decided_rows(scope: Scope) -> list[Row]:
    return _count_row("total", _("Decisions to transfer"), decided_events(scope))


def refused_rows(scope: Scope) -> list[Row]:
    return _by_reason(refused_events(scope), appeal_label=_("Appeal upheld"))


def arrived_rows(scope: Scope) -> list[Row]:
    return _count_row("total", _("Arrivals at the host facility"), arrived_events(scope))


def days_to_decision_rows(scope: Scope) -> list[Row]:
    return _durations(days_to_decision_events(scope))


def days_to_arrival_rows(scope: Scope) -> list[Row]:
    return _durations(days_to_arrival_events(scope))


def appeals_lodged_rows(scope: Scope) -> list[Row]:
    return _count_row("total", _("Appeals lodged"), appeals_lodged_events(scope))


def appeal_outcome_rows(scope: Scope) -> list[Row]:
    counts = dict(
        appeal_outcome_events(scope)  # type: ignore[misc]
        .values("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    rows = [Row("total", _("Appeals decided"), sum(counts.values()))]
    for outcome in TransferCase.AppealOutcome:
        rows.append(Row(f"outcome:{outcome.value}", str(outcome.label), counts.get(outcome, 0)))
    return rows


def gate_refusal_rows(scope: Scope) -> list[Row]:
    return _by_reason(gate_refusal_events(scope))


def return_rows(scope: Scope) -> list[Row]:
    grouped = (
        return_events(scope)  # type: ignore[misc]
        .values("why", "why_da", "why_en")
        .annotate(n=Count("id"))
        .order_by("-n", "why")
    )
    rows = [
        Row(
            f"reason:{group['why'] or 'none'}",
            pick(da=group["why_da"], en=group["why_en"])
            if group["why"]
            else _("No coded reason recorded"),
            group["n"],
        )
        for group in grouped
    ]
    return [Row("total", _("In all"), sum(int(row.value or 0) for row in rows)), *rows]


def removal_rows(scope: Scope) -> list[Row]:
    late = Q(value__gt=0)
    stats = removal_events(scope).aggregate(
        n=Count("id"),
        early=Count("id", filter=Q(value__lt=0)),
        on_day=Count("id", filter=Q(value=0)),
        late=Count("id", filter=late),
        unknown=Count("id", filter=Q(value__isnull=True)),
        median_late=PercentileCont("value", 0.5, filter=late),
        most_late=Max("value", filter=late),
    )
    return [
        Row("total", _("Removals (deportations)"), stats["n"]),
        Row("before_release_day", _("Before the release day"), stats["early"]),
        Row("on_release_day", _("On the release day"), stats["on_day"]),
        Row("late", _("After the release day"), stats["late"]),
        Row(
            "median_days_late",
            _("Median days late (of those late)"),
            _one_decimal(stats["median_late"]),
            "days",
        ),
        Row("max_days_late", _("Most days late"), stats["most_late"], "days"),
        Row("no_release_day", _("No release day on record"), stats["unknown"]),
    ]


def not_removable_rows(scope: Scope) -> list[Row]:
    return _count_row("total", _("Released, not removable"), not_removable_events(scope))


# --- Occupancy and cost (no cases behind them) -------------------------------------------------

_OCCUPANCY_SQL = """
WITH days AS (
    SELECT d::date AS day FROM generate_series(%(start)s::date, %(last)s::date, interval '1 day') d
),
held AS (
    SELECT days.day, count(p.id) AS occupied
    FROM days
    LEFT JOIN (
        cells_placement p
        JOIN cells_place pl ON pl.id = p.place_id
        JOIN cells_cell c ON c.id = pl.cell_id
        JOIN cells_unit u ON u.id = c.unit_id
        JOIN cells_facility f ON f.id = u.facility_id
    ) ON p.period @> days.day AND p.kind = 'placement' AND f.agreement_id = %(agreement)s
    GROUP BY days.day
),
capped AS (
    SELECT held.day, held.occupied, LEAST(%(contracted)s, COALESCE((
        SELECT r.places FROM cells_rampupcap r
        WHERE r.agreement_id = %(agreement)s AND r.effective_from <= held.day
        ORDER BY r.effective_from DESC LIMIT 1
    ), %(contracted)s)) AS cap
    FROM held
)
SELECT count(*), COALESCE(sum(occupied), 0), COALESCE(max(occupied), 0),
       min(cap), max(cap), count(*) FILTER (WHERE occupied > cap),
       (SELECT min(day) FROM capped WHERE occupied = (SELECT max(occupied) FROM capped))
FROM capped
"""


def occupancy_rows(scope: Scope) -> list[Row]:
    """Per day of the scope: the programme's occupied places (placements, not reservations)
    and the cap in force (the latest ramp-up step, never above the contracted places)."""
    contracted = scope.agreement.contracted_places
    with connection.cursor() as cursor:
        cursor.execute(
            _OCCUPANCY_SQL,
            {
                "start": scope.start,
                "last": scope.last_day,
                "agreement": scope.agreement.pk,
                "contracted": contracted,
            },
        )
        days, place_days, peak, low_cap, high_cap, over_cap, peak_day = cursor.fetchone()
    average = Decimal(place_days) / days if days else Decimal(0)
    percent = average * 100 / contracted if contracted else Decimal(0)
    return [
        Row("average", _("Average occupied places"), _one_decimal(average), "places"),
        Row("peak", _("Peak occupied places"), int(peak), "places"),
        Row("peak_day", _("First day of the peak"), peak_day, "date"),
        Row("cap_low", _("Cap in force (lowest)"), low_cap, "places"),
        Row("cap_high", _("Cap in force (highest)"), high_cap, "places"),
        Row("days_over_cap", _("Days above the cap"), int(over_cap), "count"),
        Row("contracted", _("Contracted places"), contracted, "places"),
        Row(
            "utilisation",
            _("Average occupancy of the contracted places"),
            _one_decimal(percent),
            "percent",
        ),
        Row("occupied_place_days", _("Occupied place-days"), int(place_days), "place_days"),
    ]


def cost_rows(scope: Scope) -> list[Row]:
    """Finance's own counting (finance.selectors.cost_report) over the same days."""
    total = finance_selectors.cost_report(
        agreement=scope.agreement, start=scope.start, end=scope.until
    ).total
    return [
        Row("rent", _("Rent owed for the period"), total.rent_rounded, "money"),
        Row(
            "contracted_place_days",
            _("Contracted place-days"),
            total.contracted_place_days,
            "place_days",
        ),
        Row(
            "occupied_place_days", _("Occupied place-days"), total.occupied_place_days, "place_days"
        ),
        Row(
            "empty_place_days", _("Paid-but-empty place-days"), total.empty_place_days, "place_days"
        ),
        Row("empty_cost", _("Rent paid for empty places"), total.empty_cost, "money"),
        Row(
            "cost_per_occupied_place_day",
            _("Cost per occupied place-day"),
            total.cost_per_occupied_place_day,
            "money",
        ),
    ]


def inspection_rows(scope: Scope) -> list[Row]:
    """Inspections of the programme's facilities and their findings (program/inspections)."""
    counts = inspection_selectors.report_counts(
        agreement_id=scope.agreement.pk, start=scope.start, until=scope.until
    )
    return [
        Row("inspections", _("Inspections begun"), counts.inspections),
        Row("unannounced", _("Of which unannounced"), counts.unannounced),
        Row("findings", _("Findings of those inspections"), counts.findings),
        Row(
            "open_findings", _("Findings not closed at the end of the period"), counts.open_findings
        ),
        Row(
            "pending_actions",
            _("Promised actions not done at the end of the period"),
            counts.pending_actions,
        ),
        Row("overdue_actions", _("Of which past their deadline"), counts.overdue_actions),
    ]


def complaint_rows(scope: Scope) -> list[Row]:
    """The programme's complaints (program.complaints, one query): received, answered within
    the deadline or late, overdue at the end of the period, and received by kind."""
    from program.complaints.models import Kind
    from program.complaints.selectors import report_counts

    counts = report_counts(agreement_id=scope.agreement.pk, start=scope.start, until=scope.until)
    return [
        Row("received", _("Complaints received"), counts.received, "count"),
        Row("answered", _("Complaints answered"), counts.answered, "count"),
        Row(
            "answered_in_time", _("Answered within the deadline"), counts.answered_in_time, "count"
        ),
        Row("answered_late", _("Answered after the deadline"), counts.answered_late, "count"),
        Row("overdue", _("Overdue at the end of the period"), counts.overdue, "count"),
        *(
            Row(f"kind_{kind}", _("Received: %(kind)s") % {"kind": Kind(kind).label}, n, "count")
            for kind, n in counts.by_kind.items()
        ),
    ]


# --- The table of figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    title: str | Promise
    definition: str | Promise
    rows: Callable[[Scope], list[Row]]
    # The events behind the figure, for the drill-down to cases; None: aggregate only.
    events: Callable[[Scope], QuerySet[CaseEvent]] | None = None
    # What the drill-down shows beside each case ("value": days; "reason": a coded reason).
    detail: str = ""


def incident_rows(scope: Scope) -> list[Row]:
    """Incidents at the programme's facilities by kind, and the reviews overdue (one query,
    program.incidents.selectors.incident_figures)."""
    from django.utils import timezone

    from program.incidents.models import Incident
    from program.incidents.selectors import incident_figures

    counts = incident_figures(
        facility_ids=scope.agreement.facilities.values("pk"),
        start=scope.start,
        until=scope.until,
        now=timezone.now(),
    )
    return [
        Row("total", _("Incidents"), counts["total"]),
        *(Row(kind, str(label), counts[kind]) for kind, label in Incident.Kind.choices),
        Row("reviews_overdue", _("Reviews overdue"), counts["overdue"]),
    ]


FIGURES: tuple[Figure, ...] = (
    Figure(
        "decided",
        gettext_lazy("Transfers decided"),
        gettext_lazy(
            "Cases moved to “decided: transfer”, dated by the date of the decision "
            "to transfer (the decision recorded with the move)."
        ),
        decided_rows,
        decided_events,
    ),
    Figure(
        "carried_out",
        gettext_lazy("Transfers carried out"),
        gettext_lazy(
            "Arrivals at the host facility: cases moved from in transit to admitted, dated by "
            "the day of arrival recorded with the move."
        ),
        arrived_rows,
        arrived_events,
    ),
    Figure(
        "refused",
        gettext_lazy("Transfers refused, by reason"),
        gettext_lazy(
            "Cases moved to “decided: no transfer”, by the coded reason given with "
            "the move, dated by the date of the decision; a refusal that follows an upheld "
            "appeal is counted as such and dated by the day it was recorded."
        ),
        refused_rows,
        refused_events,
        "reason",
    ),
    Figure(
        "days_to_decision",
        gettext_lazy("Days from candidate to decision"),
        gettext_lazy(
            "For each decision to transfer in the period: the days from the day the case was "
            "opened (the person became a candidate) to the date of the decision. Median and "
            "90th percentile (PostgreSQL percentile_cont, interpolated)."
        ),
        days_to_decision_rows,
        days_to_decision_events,
        "value",
    ),
    Figure(
        "days_to_arrival",
        gettext_lazy("Days from decision to arrival"),
        gettext_lazy(
            "For each arrival in the period: the days from the date of the latest decision to "
            "transfer (on or before the arrival) to the day of arrival. Median and 90th "
            "percentile."
        ),
        days_to_arrival_rows,
        days_to_arrival_events,
        "value",
    ),
    Figure(
        "appeals_lodged",
        gettext_lazy("Appeals lodged"),
        gettext_lazy("Cases moved to “under appeal”, dated by the day the appeal was lodged."),
        appeals_lodged_rows,
        appeals_lodged_events,
    ),
    Figure(
        "appeal_outcomes",
        gettext_lazy("Appeal outcomes"),
        gettext_lazy(
            "Appeal outcomes recorded on the case timeline, by outcome, dated by the day the "
            "appeal was decided."
        ),
        appeal_outcome_rows,
        appeal_outcome_events,
        "outcome",
    ),
    Figure(
        "gate_refusals",
        gettext_lazy("Refusals at the gate"),
        gettext_lazy(
            "Cases moved from in transit straight back to Denmark (the host facility did not "
            "admit the person), by coded reason, dated by the day the refusal was recorded."
        ),
        gate_refusal_rows,
        gate_refusal_events,
        "reason",
    ),
    Figure(
        "returns",
        gettext_lazy("Returns to Denmark, by reason"),
        gettext_lazy(
            "Stays that ended with a return to Denmark (return pending to returned), by the "
            "coded reason given when the return was decided, dated by the day the stay ended."
        ),
        return_rows,
        return_events,
        "return_reason",
    ),
    Figure(
        "removals",
        gettext_lazy("Removals on the release day or late"),
        gettext_lazy(
            "Deportations at the end of the stay, dated by the day the stay ended, compared "
            "with the release day (the full-term date of the inmate's latest judgment): "
            "before it, on the day, or the number of days after it."
        ),
        removal_rows,
        removal_events,
        "value",
    ),
    Figure(
        "not_removable",
        gettext_lazy("Released, not removable"),
        gettext_lazy(
            "Stays that ended in a release of someone who could not be removed, dated by the "
            "day the stay ended."
        ),
        not_removable_rows,
        not_removable_events,
    ),
    Figure(
        "occupancy",
        gettext_lazy("Occupancy"),
        gettext_lazy(
            "For each day of the period up to today: the places occupied by a placement at "
            "the programme's facilities (reservations not counted), against the ramp-up cap "
            "in force that day (never above the contracted places) and the contracted places."
        ),
        occupancy_rows,
    ),
    Figure(
        "cost",
        gettext_lazy("Paid-but-empty place-days and cost per occupied place-day"),
        gettext_lazy(
            "Finance's counting: rent owed from the rent tranches spread evenly over the days "
            "they pay for; contracted place-days are contracted places times those days; "
            "empty ones are contracted less occupied place-days; the cost per occupied "
            "place-day is the rent divided by the occupied place-days."
        ),
        cost_rows,
    ),
    Figure(
        "incidents",
        gettext_lazy("Incidents at the host facility"),
        gettext_lazy(
            "Incidents that happened at the programme's facilities in the period, dated by "
            "when they happened (Copenhagen time), by kind. Reviews overdue: those of them the "
            "governor had not reviewed by the deadline of their kind (24 hours for use of force "
            "and deaths, 72 hours for the others), whether reviewed late or not yet, as of "
            "today or the end of the period."
        ),
        incident_rows,
    ),
    Figure(
        "inspections",
        gettext_lazy("Inspections and findings"),
        gettext_lazy(
            "Visits to the programme's facilities by an inspection body (the Danish "
            "Ombudsman, the Kosovo Ombudsperson, the CPT, others), dated by their first day, "
            "and the findings those visits made; then, as at the last day of the period (or "
            "today), the findings not closed (an action promised on them not yet done or "
            "refused, or none promised yet) and the promised actions not yet done or refused, "
            "with those whose deadline had passed. An action counts as done from the day it "
            "was done."
        ),
        inspection_rows,
    ),
    Figure(
        "complaints",
        gettext_lazy("Complaints and requests"),
        gettext_lazy(
            "Complaints and requests from inmates to the Danish authorities and the Ombudsman "
            "at the programme's facilities. Received: by the day received. Answered: by the "
            "day of the answer, within the deadline when on or before the deadline its kind "
            "gives. Overdue: on the last day of the period, past the deadline and not answered "
            "by then. By kind: the ones received."
        ),
        complaint_rows,
    ),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}
# The figure whose cases the drill-down shows when none is named.
FIRST_WITH_CASES = next(figure.key for figure in FIGURES if figure.events is not None)


@dataclass(frozen=True)
class NotRecorded:
    title: str | Promise
    note: str | Promise


# Figures the report is asked for that the system does not record yet: named, with no number.
NOT_RECORDED: tuple[NotRecorded, ...] = ()


@dataclass(frozen=True)
class FigureResult:
    figure: Figure
    rows: list[Row]

    def value(self, key: str) -> int | Decimal | None:
        return next((row.value for row in self.rows if row.key == key), None)


@dataclass(frozen=True)
class ProgrammeReport:
    scope: Scope
    currency: str
    results: list[FigureResult] = field(default_factory=list)

    def result(self, key: str) -> FigureResult:
        return next(result for result in self.results if result.figure.key == key)


def programme_report(*, scope: Scope) -> ProgrammeReport:
    """Every figure for one programme and period: one query per figure (three for the cost,
    which is finance's report)."""
    results = [FigureResult(figure, figure.rows(scope)) for figure in FIGURES]
    currency = _currency(scope.agreement)
    return ProgrammeReport(scope=scope, currency=currency, results=results)


def _currency(agreement: Agreement) -> str:
    from finance.models import PricingTerms

    terms = PricingTerms.objects.filter(agreement=agreement).values_list("currency", flat=True)
    return next(iter(terms), "EUR")


# --- Drill-down -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    inmate_id: int
    name: str
    case_number: str
    day: date
    detail: str


def figure_cases(*, figure: Figure, scope: Scope) -> list[CaseLine]:
    """The cases behind a figure: one line per event counted, in day order (one query)."""
    if figure.events is None:
        return []
    fields = ["case_id", "case__inmate_id", "case__inmate__name", "case__inmate__case_number"]
    fields += ["day", "id"]
    if figure.detail == "value":
        fields.append("value")
    elif figure.detail == "reason":
        fields += ["reason_code__label_da", "reason_code__label_en", "from_state"]
    elif figure.detail == "outcome":
        fields.append("outcome")
    elif figure.detail == "return_reason":
        fields += ["why_da", "why_en"]
    lines = []
    for row in figure.events(scope).values(*fields).order_by("day", "case_id", "id"):
        lines.append(
            CaseLine(
                case_id=row["case_id"],
                inmate_id=row["case__inmate_id"],
                name=row["case__inmate__name"],
                case_number=row["case__inmate__case_number"],
                day=row["day"],
                detail=_detail(figure.detail, row),
            )
        )
    return lines


def _detail(kind: str, row: dict[str, Any]) -> str:
    if kind == "value":
        return "" if row["value"] is None else str(row["value"])
    if kind == "reason":
        if row["reason_code__label_en"]:
            return pick(da=row["reason_code__label_da"], en=row["reason_code__label_en"])
        if row["from_state"] in UPHELD_FROM:
            return _("Appeal upheld")
        return _("No coded reason recorded")
    if kind == "outcome":
        outcome = row["outcome"]
        return str(TransferCase.AppealOutcome(outcome).label) if outcome else ""
    if kind == "return_reason":
        if row["why_en"]:
            return pick(da=row["why_da"], en=row["why_en"])
        return _("No coded reason recorded")
    return ""
