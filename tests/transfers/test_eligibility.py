"""Rules E1–E18: each passes, fails, and holds at its boundary; parameters are data with history."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from transfers import eligibility
from transfers.eligibility import FAIL, PASS, REVIEW, Params, Snapshot, evaluate, evaluate_rule
from transfers.models import EligibilityRuleParameter

TODAY = date(2026, 6, 15)


def snap(**changes) -> Snapshot:
    """A snapshot that passes every rule: a Moroccan man, final 3-year sentence, low risk."""
    base = Snapshot(
        inmate_id=1,
        on=TODAY,
        date_of_birth=date(1990, 1, 1),
        sex="M",
        nationalities=("MA",),
        judgment_final_on=date(2025, 1, 10),
        sentence_type="fixed_term",
        length_days=3 * 365,
        full_term_date=TODAY + timedelta(days=400),
        two_thirds_date=TODAY + timedelta(days=200),
        expulsion_order_in_force=True,
        security_level="low",
        country_of_return="MA",
        return_readmits="yes",
        places_cap=100,
        places_held=50,
        opinion_recorded=True,
    )
    return replace(base, **changes)


def outcome(rule: str, params: Params | None = None, **changes) -> str:
    return evaluate_rule(rule, snap(**changes), params).outcome


def test_the_moroccan_with_a_final_sentence_and_no_flags_is_eligible() -> None:
    result = evaluate(snap(), Params())
    assert result.outcome == "eligible"
    assert [r["outcome"] for r in result.results] == [PASS] * 18
    assert {r["id"] for r in result.results} == {f"E{n}" for n in range(1, 19)}


def test_every_rule_has_an_id_text_source_and_version() -> None:
    for rule in eligibility.RULES:
        assert rule.id
        assert rule.text
        assert rule.source
        assert rule.version >= 1


# E1, E2
def test_a_danish_citizen_is_ineligible_e1() -> None:
    assert outcome("E1", nationalities=("DK", "MA"), eu_eea_nationalities=("DK",)) == FAIL
    assert outcome("E1") == PASS


def test_a_polish_national_is_ineligible_e2() -> None:
    assert outcome("E2", nationalities=("PL",), eu_eea_nationalities=("PL",)) == FAIL
    assert outcome("E2", nationalities=()) == PASS  # stateless


# E3
@pytest.mark.parametrize(
    ("final_on", "expected"),
    [
        (TODAY - timedelta(days=1), PASS),
        (TODAY, PASS),
        (TODAY + timedelta(days=1), FAIL),
        (None, FAIL),
    ],
)
def test_the_judgment_must_be_final_today_e3(final_on, expected) -> None:
    assert outcome("E3", judgment_final_on=final_on) == expected


def test_no_judgment_fails_e3_e4_e12() -> None:
    s = snap(has_judgment=False, judgment_final_on=None, sentence_type=None, full_term_date=None)
    results = {r["id"]: r["outcome"] for r in evaluate(s, Params()).results}
    assert (results["E3"], results["E4"], results["E12"]) == (FAIL, FAIL, FAIL)


# E4
def test_life_is_ineligible_and_forvaring_follows_its_setting_e4() -> None:
    assert outcome("E4", sentence_type="life") == FAIL
    assert outcome("E4", sentence_type="forvaring") == PASS
    assert outcome("E4", Params(forvaring_admitted=False), sentence_type="forvaring") == FAIL


# E5
def test_an_expulsion_order_is_required_unless_switched_off_e5() -> None:
    assert outcome("E5", expulsion_order_in_force=False) == FAIL
    assert (
        outcome("E5", Params(expulsion_order_required=False), expulsion_order_in_force=False)
        == PASS
    )


# E6–E8
@pytest.mark.parametrize(
    ("rule", "flag"),
    [("E6", "terrorism"), ("E7", "war_crimes"), ("E8", "serious_mental_disorder")],
)
def test_excluding_flags_fail_their_rule(rule, flag) -> None:
    assert evaluate_rule(rule, snap(**{flag: True})).outcome == FAIL
    assert evaluate_rule(rule, snap(**{flag: False})).outcome == PASS


# E9
@pytest.mark.parametrize(
    ("level", "threshold", "expected"),
    [
        ("low", "medium", PASS),
        ("medium", "medium", PASS),
        ("high", "medium", FAIL),
        ("medium", "low", FAIL),
    ],
)
def test_risk_at_or_below_the_threshold_e9(level, threshold, expected) -> None:
    assert outcome("E9", Params(max_risk_level=threshold), security_level=level) == expected


# E10
def test_the_18th_birthday_is_the_first_eligible_day_e10() -> None:
    born = date(2008, 6, 15)
    assert outcome("E10", date_of_birth=born) == PASS  # 18 today
    result = evaluate_rule("E10", snap(date_of_birth=date(2008, 6, 16)))
    assert result.outcome == FAIL
    assert result.eligible_from == date(2026, 6, 16)


def test_born_on_29_february_comes_of_age_on_1_march_e10() -> None:
    result = evaluate_rule("E10", snap(on=date(2026, 2, 28), date_of_birth=date(2008, 2, 29)))
    assert result.eligible_from == date(2026, 3, 1)


# E11
def test_men_only_by_default_and_switchable_e11() -> None:
    assert outcome("E11", sex="F") == FAIL
    assert outcome("E11", Params(sexes_admitted=("F", "M")), sex="F") == PASS


# E12
@pytest.mark.parametrize(("days", "expected"), [(179, FAIL), (180, PASS), (181, PASS)])
def test_exactly_the_minimum_days_left_is_enough_e12(days, expected) -> None:
    assert outcome("E12", full_term_date=TODAY + timedelta(days=days)) == expected


def test_days_left_may_count_to_the_two_thirds_date_e12() -> None:
    params = Params(days_left_counted_to="two_thirds", min_days_left=201)
    assert outcome("E12", params, two_thirds_date=TODAY + timedelta(days=200)) == FAIL
    assert outcome("E12", params, two_thirds_date=TODAY + timedelta(days=201)) == PASS


def test_indefinite_sentences_have_no_days_left_to_count_e12() -> None:
    assert outcome("E12", sentence_type="forvaring", full_term_date=None) == PASS


# E13
def test_the_ten_year_cap_is_off_by_default_and_inclusive_when_on_e13() -> None:
    assert outcome("E13", length_days=5000) == PASS
    params = Params(max_sentence_days=3650)
    assert outcome("E13", params, length_days=3650) == PASS
    assert outcome("E13", params, length_days=3651) == FAIL


# E14–E16
@pytest.mark.parametrize(
    "changes",
    [
        {"specialist_treatment": True},
        {"minor_children_visiting": True},
        {"country_of_return": None},
        {"return_readmits": "no"},
    ],
)
def test_soft_flags_send_the_case_to_review(changes) -> None:
    result = evaluate(snap(**changes), Params())
    assert result.outcome == "needs_review"
    assert REVIEW in [r["outcome"] for r in result.results]


def test_a_hard_failure_outranks_a_soft_flag() -> None:
    assert evaluate(snap(terrorism=True, minor_children_visiting=True), Params()).outcome == (
        "ineligible"
    )


# E17
@pytest.mark.parametrize(("held", "expected"), [(98, PASS), (99, PASS), (100, FAIL), (101, FAIL)])
def test_capacity_must_stay_below_the_cap_e17(held, expected) -> None:
    assert outcome("E17", places_cap=100, places_held=held) == expected


def test_capacity_only_blocks_the_decision_not_the_screening_e17() -> None:
    assert evaluate(snap(places_held=100), Params()).outcome == "eligible"


# E18
def test_the_opinion_not_consent_is_what_counts_e18() -> None:
    assert outcome("E18", opinion_recorded=False) == FAIL
    assert outcome("E18", opinion_recorded=True) == PASS
    assert evaluate(snap(opinion_recorded=False), Params()).outcome == "eligible"


# Almost eligible
def test_a_judgment_not_yet_final_is_almost_eligible_from_its_final_date() -> None:
    result = evaluate(snap(judgment_final_on=TODAY + timedelta(days=10)), Params())
    assert result.outcome == "ineligible"
    assert result.eligible_from == TODAY + timedelta(days=10)


def test_a_failure_that_no_date_cures_is_not_almost_eligible() -> None:
    s = snap(judgment_final_on=TODAY + timedelta(days=10), full_term_date=TODAY + timedelta(days=5))
    assert evaluate(s, Params()).eligible_from is None


def test_the_fingerprint_ignores_reason_wording_but_not_outcomes() -> None:
    a = evaluate(snap(), Params())
    b = evaluate(snap(full_term_date=TODAY + timedelta(days=399)), Params())
    c = evaluate(snap(terrorism=True), Params())
    assert a.fingerprint == b.fingerprint != c.fingerprint


# Parameters as data
@pytest.mark.django_db
def test_parameters_default_then_the_newest_row_wins_and_history_stays(carla) -> None:
    assert eligibility.params_load().min_days_left == 180
    EligibilityRuleParameter.objects.create(name="min_days_left", value=200, changed_by=carla)
    newest = EligibilityRuleParameter.objects.create(name="min_days_left", value=240)
    params = eligibility.params_load()
    assert params.min_days_left == 240
    assert params.rule_set_version == f"{eligibility.RULESET_VERSION}+p{newest.pk}"
    assert len(eligibility.params_history()["min_days_left"]) == 2


@pytest.mark.django_db
def test_a_bad_stored_value_falls_back_to_the_default() -> None:
    EligibilityRuleParameter.objects.create(name="min_age", value="many")
    assert eligibility.params_load().min_age == 18
