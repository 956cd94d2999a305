"""The programme report's figures, each checked against a count made by walking the events."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance import selectors as finance_selectors
from program.cells.models import Placement
from program.core.errors import ApplicationError
from tests.transfers import helpers
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.report_data import History, build, percentile, walk
from transfers import services
from transfers.models import CaseEvent, TransferCase
from transfers.report.figures import (
    FIGURES,
    FIGURES_BY_KEY,
    ProgrammeReport,
    figure_cases,
    programme_report,
    scope_for,
)
from transfers.report.periods import Period, period_parse

S = TransferCase.State
TODAY = date(2026, 12, 3)
PERIODS = [Period(2026), Period(2026, 1), Period(2026, 2), Period(2026, 3), Period(2025)]


@pytest.fixture
def history(carla: User) -> History:
    return build(carla)


def _report(history: History, period: Period, today: date = TODAY) -> ProgrammeReport:
    return programme_report(
        scope=scope_for(agreement=history.agreement, period=period, today=today)
    )


def _reasons(report: ProgrammeReport, key: str) -> dict[str, int]:
    return {
        row.key.removeprefix("reason:"): row.value
        for row in report.result(key).rows
        if row.key.startswith("reason:")
    }


def _days(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.code)
def test_every_figure_matches_the_events_walked_in_python(history: History, period: Period):
    report = _report(history, period)
    scope = report.scope
    expected = walk(history.agreement, scope.start, scope.until)

    assert report.result("decided").value("total") == expected["decided"]
    assert report.result("carried_out").value("total") == expected["carried_out"]
    assert _reasons(report, "refused") == expected["refused"]
    assert report.result("refused").value("total") == sum(expected["refused"].values())
    for key, days in (("days_to_decision", "to_decision"), ("days_to_arrival", "to_arrival")):
        result = report.result(key)
        assert result.value("cases") == len(expected[days])
        assert result.value("median") == _days(percentile(expected[days], 0.5))
        assert result.value("p90") == _days(percentile(expected[days], 0.9))
    assert report.result("appeals_lodged").value("total") == expected["appeals_lodged"]
    outcomes = report.result("appeal_outcomes")
    assert outcomes.value("outcome:upheld") == expected["appeal_outcomes"].get("upheld", 0)
    assert outcomes.value("outcome:rejected") == expected["appeal_outcomes"].get("rejected", 0)
    assert _reasons(report, "gate_refusals") == expected["gate_refusals"]
    assert _reasons(report, "returns") == expected["returns"]
    removals = report.result("removals")
    assert removals.value("total") == expected["removals"]
    assert removals.value("before_release_day") == expected["removals_early"]
    assert removals.value("on_release_day") == expected["removals_on_day"]
    assert removals.value("late") == expected["removals_late"]
    assert removals.value("median_days_late") == _days(expected["median_late"])
    assert removals.value("max_days_late") == expected["max_late"]
    assert report.result("not_removable").value("total") == expected["not_removable"]
    occupancy = report.result("occupancy")
    assert occupancy.value("occupied_place_days") == expected["place_days"]
    assert occupancy.value("average") == _days(round(expected["average"], 4))
    assert occupancy.value("peak") == expected["peak"]
    assert occupancy.value("peak_day") == expected["peak_day"]
    assert occupancy.value("cap_low") == expected["cap_low"]
    assert occupancy.value("cap_high") == expected["cap_high"]
    assert occupancy.value("days_over_cap") == expected["days_over_cap"]
    cost = finance_selectors.cost_report(
        agreement=history.agreement, start=scope.start, end=scope.until
    ).total
    assert report.result("cost").value("occupied_place_days") == expected["place_days"]
    assert report.result("cost").value("empty_place_days") == cost.empty_place_days


def test_the_year_2026_counts_what_the_history_holds(history: History):
    """The same figures written out by hand, so the comparison above is never two zeros."""
    report = _report(history, Period(2026))
    assert report.result("decided").value("total") == 5  # A, B, D, E, H (F in 2025, X elsewhere)
    assert report.result("carried_out").value("total") == 3  # A, B, H
    assert _reasons(report, "refused") == {"host_refused": 1, "appeal_upheld": 1}
    assert report.result("days_to_decision").value("median") == Decimal("88.0")  # 67 69 88 105 115
    assert report.result("days_to_arrival").value("cases") == 2  # A 44, H 51 (B has no decision)
    assert report.result("appeals_lodged").value("total") == 2
    assert report.result("appeal_outcomes").value("outcome:upheld") == 1
    assert _reasons(report, "gate_refusals") == {"gate_refusal": 1}
    assert _reasons(report, "returns") == {"return_medical": 1}
    removals = report.result("removals")
    assert (removals.value("on_release_day"), removals.value("late")) == (1, 1)
    assert removals.value("max_days_late") == 5
    assert report.result("not_removable").value("total") == 1


def test_a_decision_counts_in_the_quarter_of_its_date_not_of_its_recording(history: History):
    # C was decided on 30 June and recorded on 1 July.
    assert _reasons(_report(history, Period(2026, 2)), "refused") == {"host_refused": 1}
    assert _reasons(_report(history, Period(2026, 3)), "refused") == {"appeal_upheld": 1}


def test_another_programmes_cases_never_count(history: History):
    other = programme_report(
        scope=scope_for(agreement=history.other, period=Period(2026), today=TODAY)
    )
    # X is the other programme's case: its decision and arrival count
    # there; every other case's in the first programme.
    assert other.result("carried_out").value("total") == 1
    assert other.result("decided").value("total") == 1
    assert other.result("refused").value("total") == 0
    lines = figure_cases(figure=FIGURES_BY_KEY["carried_out"], scope=other.scope)
    assert [line.case_id for line in lines] == [history.cases["X"].pk]


def _figures(report: ProgrammeReport) -> dict[str, list[tuple[str, object]]]:
    return {r.figure.key: [(row.key, row.value) for row in r.rows] for r in report.results}


def test_later_events_leave_a_past_period_unchanged(history: History, carla: User):
    """The report for Q3 2026 made on 15 October gives the same numbers after more happened."""
    q3 = Period(2026, 3)
    before = _figures(_report(history, q3, today=date(2026, 10, 15)))
    h = history
    # Later: H leaves (deported in November), a new arrival, a new decision and refusal, an
    # appeal and its outcome, all on days after the quarter, recorded now.
    hh = h.cases["H"]
    Placement.objects.filter(pk=hh.placement_id).update(
        period=DateRange(date(2026, 6, 20), date(2026, 11, 5), "[)"), end_reason="deported"
    )
    TransferCase.objects.filter(pk=hh.pk).update(state=S.DEPORTED, closed_at=timezone.now())
    h.move(hh, S.RELEASE_PREP, S.DEPORTED, recorded=date(2026, 11, 6), payload={"on": "2026-11-05"})
    late = h.case(
        "late", opened=date(2026, 5, 1), state=S.SERVING, stay=(date(2026, 10, 20), None, "")
    )
    h.decide(late, "transfer", decided_on=date(2026, 10, 1), recorded=date(2026, 10, 2))
    h.move(
        late, S.IN_TRANSIT, S.ADMITTED, recorded=date(2026, 10, 20), payload={"on": "2026-10-20"}
    )
    h.move(late, S.NOTIFIED, S.UNDER_APPEAL, recorded=date(2026, 10, 21))
    h.event(
        late,
        CaseEvent.Kind.APPEAL,
        recorded=date(2026, 10, 30),
        payload={"outcome": "rejected", "decided_on": "2026-10-30"},
    )
    h.move(
        h.cases["A"], S.SERVING, S.RETURN_PENDING, recorded=date(2026, 11, 2), reason="return_court"
    )

    assert _figures(_report(history, q3, today=date(2026, 12, 1))) == before
    assert _figures(_report(history, q3)) == before


def test_a_running_period_counts_up_to_today(history: History):
    report = _report(history, Period(2026), today=date(2026, 8, 14))
    assert report.scope.last_day == date(2026, 8, 14)
    assert not report.scope.complete
    # A left on 15 August: not yet.
    assert report.result("removals").value("total") == 0
    assert (
        report.result("occupancy").value("occupied_place_days")
        == walk(history.agreement, date(2026, 1, 1), date(2026, 8, 15))["place_days"]
    )


def test_each_figure_is_one_query_and_the_cost_is_finances_three(history: History):
    scope = scope_for(agreement=history.agreement, period=Period(2026), today=TODAY)
    for figure in FIGURES:
        with CaptureQueriesContext(connection) as queries:
            figure.rows(scope)
        assert len(queries) == (3 if figure.key == "cost" else 1), figure.key


def test_the_cases_behind_a_figure_are_the_ones_it_counts(history: History):
    scope = scope_for(agreement=history.agreement, period=Period(2026), today=TODAY)
    report = programme_report(scope=scope)
    for figure in FIGURES:
        if figure.events is None:
            continue
        lines = figure_cases(figure=figure, scope=scope)
        counted = report.result(figure.key).value("total") or report.result(figure.key).value(
            "cases"
        )
        if figure.key in {"days_to_decision", "days_to_arrival"}:
            lines = [line for line in lines if line.detail]
        assert len(lines) == counted, figure.key
    removals = figure_cases(figure=FIGURES_BY_KEY["removals"], scope=scope)
    assert [(line.case_id, line.detail) for line in removals] == [
        (history.cases["A"].pk, "5"),
        (history.cases["F"].pk, "0"),
    ]


def test_the_moves_made_by_the_services_are_counted(carla: User, otto: User):
    """The services' own payloads (the decision's id, the arrival day, the day lodged)."""
    from tests.factories import AgreementFactory, CellFactory, FacilityFactory, PlaceFactory

    agreement = AgreementFactory()
    PlaceFactory(cell=CellFactory(unit__facility=FacilityFactory(agreement=agreement)))
    case = services.case_open(inmate=make_eligible_inmate(), actor=carla, agreement=agreement)
    case = helpers.advance(case, S.NOTIFIED, carla=carla, otto=otto)
    today = timezone.localdate()
    services.appeal_lodge(case=case, actor=carla, lodged_on=today - timedelta(days=1))
    lodged = CaseEvent.objects.get(case=case, to_state=S.UNDER_APPEAL)
    assert lodged.payload["lodged_on"] == (today - timedelta(days=1)).isoformat()
    scope = scope_for(agreement=agreement, period=Period(today.year), today=today)
    report = programme_report(scope=scope)
    assert report.result("decided").value("total") == 1
    assert report.result("days_to_decision").value("median") == Decimal("0.0")
    assert report.result("appeals_lodged").value("total") == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [("2026-Q5", "Give the period"), ("26", "Give the period"), ("2027", "has not begun")],
)
def test_a_bad_period_is_refused_with_what_to_give(raw: str, message: str):
    with pytest.raises(ApplicationError, match=message):
        period_parse(raw, today=TODAY)


def test_periods_read_as_years_and_quarters():
    assert period_parse("", today=TODAY) == Period(2026)
    q = period_parse("2026-q3", today=TODAY)
    assert (q.start, q.end, q.code) == (date(2026, 7, 1), date(2026, 10, 1), "2026-Q3")
    assert Period(2026, 4).end == date(2027, 1, 1)
