"""The eligibility rules read the sentence as it runs, the revocation from its effective date and
readmission as a country's fact (with a person's reasoned override). Each of these gave another
answer before: the newest judgment alone, any revocation at once, "unknown" passing E16."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from program.core.errors import ApplicationError
from program.inmates import csv_import, selectors
from program.inmates import services as inmate_services
from program.inmates.models import Country, Inmate
from tests.inmates.factories import ExpulsionOrderFactory, JudgmentFactory
from tests.transfers.conftest import make_eligible_inmate
from transfers import eligibility
from transfers.services.intake import candidates_intake

pytestmark = pytest.mark.django_db


def _rule(inmate: Inmate, rule: str) -> eligibility.RuleResult:
    today = timezone.localdate()
    snapshot = eligibility.snapshots_for([inmate.pk], on=today)[inmate.pk]
    return eligibility.evaluate_rule(rule, snapshot, eligibility.Params())


def test_days_left_count_to_the_combined_release_not_the_newest_judgment_e12() -> None:
    today = timezone.localdate()
    inmate = make_eligible_inmate()
    # A newer, short sentence served after the long one: alone it would end in 30 days.
    JudgmentFactory(
        inmate=inmate,
        judgment_date=today - timedelta(days=20),
        final_on=today - timedelta(days=10),
        sentence_start=today - timedelta(days=60),
        length_days=90,
        remand_days=0,
    )
    result = _rule(inmate, "E12")
    assert result.outcome == "pass"
    # 3 × 365 + 90 days from 100 days ago.
    assert result.args["date"] == (today + timedelta(days=3 * 365 + 90 - 100)).isoformat()


def test_every_judgment_must_be_final_e3() -> None:
    today = timezone.localdate()
    inmate = make_eligible_inmate()
    assert _rule(inmate, "E3").outcome == "pass"
    # An older judgment still under appeal: the sentence to serve is not settled.
    JudgmentFactory(
        inmate=inmate,
        judgment_date=today - timedelta(days=400),
        final_on=None,
        sentence_start=today - timedelta(days=100),
    )
    assert _rule(inmate, "E3").key == "E3.not_final"


@pytest.mark.parametrize(
    ("revoked_in_days", "outcome"),
    [(None, "pass"), (30, "pass"), (1, "pass"), (0, "fail"), (-5, "fail")],
)
def test_a_revocation_counts_from_its_effective_date_e5(revoked_in_days, outcome) -> None:
    today = timezone.localdate()
    inmate = make_eligible_inmate()
    order = inmate.expulsion_orders.get()
    order.revoked_on = None if revoked_in_days is None else today + timedelta(revoked_in_days)
    order.save()
    assert _rule(inmate, "E5").outcome == outcome
    assert order.in_force is (outcome == "pass")


def test_readmission_unknown_for_the_country_sends_the_case_to_review_e16() -> None:
    inmate = make_eligible_inmate(return_readmits="", return_readmits_reason="")
    result = _rule(inmate, "E16")
    assert result.outcome == "review"
    assert result.reason == (
        "Not known whether RS readmits its nationals: record the country's answer with its "
        "date and source."
    )


def test_the_country_s_no_sends_to_review_with_its_date_and_source_and_its_yes_passes_e16() -> None:
    inmate = make_eligible_inmate(return_readmits="", return_readmits_reason="")
    Country.objects.filter(code="RS").update(
        readmission="no", readmission_as_of=date(2026, 1, 5), readmission_source="Note 12/2026"
    )
    result = _rule(inmate, "E16")
    assert (result.outcome, result.key) == ("review", "E16.no_readmission_country")
    assert "as of 2026-01-05; source: Note 12/2026" in result.reason
    Country.objects.filter(code="RS").update(readmission="yes")
    assert _rule(inmate, "E16").outcome == "pass"


def test_a_person_s_override_wins_over_the_country_and_says_why_e16() -> None:
    Country.objects.filter(code="RS").update(
        readmission="yes", readmission_as_of=date(2026, 1, 5), readmission_source="Agreement"
    )
    inmate = make_eligible_inmate(
        return_readmits="no", return_readmits_reason="Refused a travel document in May"
    )
    result = _rule(inmate, "E16")
    assert result.outcome == "review"
    assert result.reason == "RS does not take this person back: Refused a travel document in May"


def test_an_override_without_a_reason_is_refused() -> None:
    inmate = make_eligible_inmate()
    with pytest.raises(ApplicationError) as refused:
        inmate_services.inmate_update(
            inmate=inmate, actor=None, return_readmits="no", return_readmits_reason=""
        )
    assert "Give the reason" in refused.value.message


def test_a_country_s_yes_or_no_needs_its_date_and_source() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.filter(code="RS").update(readmission="yes")


JUDGMENT_CELLS = {
    "judgment_court": "Copenhagen City Court",
    "judgment_final_on": "",
    "sentence_type": "fixed_term",
    "sentence_length_days": "1095",
    "remand_days": "10",
    "sentence_runs": "",
    "offences": "robbery",
}


def test_an_imported_candidate_with_judgment_and_expulsion_columns_screens_eligible(
    make_user,
) -> None:
    today = timezone.localdate()
    person = {
        "case_number": "KF-IMP-1",
        "name": "Marko Jovanovic",
        "date_of_birth": "1985-02-03",
        "sex": "M",
        "nationalities": "RS",
        "languages": "Serbian",
        "interpreter_needed": "no",
        "country_of_return": "RS",
        "return_readmits": "yes",
        "return_readmits_reason": "Passport on file",
        "security_level": "low",
        "serious_mental_disorder": "no",
        "specialist_treatment": "no",
        "minor_children_visiting": "no",
        "home_institution": "Vestre Prison",
    }
    first = {
        **person,
        **JUDGMENT_CELLS,
        "judgment_date": (today - timedelta(days=200)).isoformat(),
        "judgment_final_on": (today - timedelta(days=150)).isoformat(),
        "sentence_start": (today - timedelta(days=100)).isoformat(),
        "expulsion_ordered_on": (today - timedelta(days=200)).isoformat(),
        "expulsion_final": "yes",
        "entry_ban_years": "6",
        "entry_ban_permanent": "no",
        # A revocation dated ahead does not count yet.
        "expulsion_revoked_on": (today + timedelta(days=400)).isoformat(),
    }
    # A second judgment of the same person on its own row, served after the first.
    second = {
        **person,
        **JUDGMENT_CELLS,
        "sentence_length_days": "60",
        "remand_days": "0",
        "judgment_date": (today - timedelta(days=40)).isoformat(),
        "judgment_final_on": (today - timedelta(days=20)).isoformat(),
        "sentence_start": (today - timedelta(days=30)).isoformat(),
        **dict.fromkeys(csv_import.EXPULSION_COLUMNS, ""),
    }
    header = list(first)
    text = "\n".join(
        [",".join(header), *(",".join(row.get(c, "") for c in header) for row in (first, second))]
    )
    parsed = csv_import.parse(text.encode(), known_countries=selectors.country_codes())
    assert parsed.ok, parsed.problems
    assert len(parsed.rows) == 1
    assert len(parsed.rows[0].judgments) == 2

    result = candidates_intake(rows=parsed.rows, actor=make_user("ida", "caseworker"))
    assert (result.created, result.judgments_added, result.expulsion_orders_added) == (1, 2, 1)
    inmate = Inmate.objects.get(case_number="KF-IMP-1")
    assert inmate.release_on == today - timedelta(days=100) + timedelta(days=1095 + 60 - 10)
    snapshot = eligibility.snapshots_for([inmate.pk], on=today)[inmate.pk]
    assert eligibility.evaluate(snapshot, eligibility.Params()).outcome == "eligible"
    # The same file again adds nothing.
    again = candidates_intake(rows=parsed.rows, actor=make_user("jens", "caseworker"))
    assert (again.judgments_added, again.judgments_updated, again.expulsion_orders_added) == (
        0,
        0,
        0,
    )


def test_a_readmission_answer_in_the_file_needs_its_reason() -> None:
    header = [*csv_import.REQUIRED_COLUMNS]
    row = {
        "case_number": "KF-IMP-2",
        "name": "Someone",
        "date_of_birth": "1985-02-03",
        "sex": "M",
        "nationalities": "RS",
        "languages": "",
        "interpreter_needed": "no",
        "country_of_return": "RS",
        "return_readmits": "no",
        "security_level": "low",
        "serious_mental_disorder": "no",
        "specialist_treatment": "no",
        "minor_children_visiting": "no",
        "home_institution": "Vestre Prison",
    }
    text = ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n"
    parsed = csv_import.parse(text.encode(), known_countries=selectors.country_codes())
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "return_readmits_reason")]


def test_an_expulsion_order_on_the_record_is_in_force_until_its_revocation_date() -> None:
    today = timezone.localdate()
    order = ExpulsionOrderFactory(revoked_on=today + timedelta(days=3))
    assert order.in_force
    assert not order.in_force_on(today + timedelta(days=3))
