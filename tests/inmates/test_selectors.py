"""The inmate list's filters, sort orders and annotations, and the non-association reads."""

from datetime import date, timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateRange
from django.utils import timezone

from program.cells.models import Placement
from program.inmates import selectors
from program.inmates.models import Judgment
from tests.inmates.factories import (
    InmateFactory,
    JudgmentFactory,
    NonAssociationFactory,
    PlacementFactory,
)

pytestmark = pytest.mark.django_db


def _names(queryset) -> list[str]:
    return [inmate.name for inmate in queryset]


def test_release_date_is_the_combined_full_term_date() -> None:
    inmate = InmateFactory.create()
    # Served out in 2023, before the next sentence started: it adds nothing (docs/sentences.md).
    JudgmentFactory.create(
        inmate=inmate,
        judgment_date=date(2023, 1, 1),
        final_on=date(2023, 1, 10),
        sentence_start=date(2023, 1, 1),
        length_days=100,
    )
    JudgmentFactory.create(inmate=inmate, judgment_date=date(2024, 11, 1))  # 2027-05-21
    assert selectors.inmate_list().get().release_date == date(2027, 5, 21)


def test_release_date_is_empty_without_a_judgment_and_for_life() -> None:
    InmateFactory.create(name="No judgment")
    JudgmentFactory.create(
        inmate=InmateFactory.create(name="Life"),
        sentence_type=Judgment.SentenceType.LIFE,
        length_days=None,
        remand_days=0,
    )
    assert {i.name: i.release_date for i in selectors.inmate_list()} == {
        "No judgment": None,
        "Life": None,
    }


def test_is_placed_counts_only_a_placement_in_force_today() -> None:
    today = timezone.localdate()
    PlacementFactory.create(inmate=InmateFactory.create(name="Placed"))
    PlacementFactory.create(
        inmate=InmateFactory.create(name="Released"),
        period=DateRange(today - timedelta(days=30), today - timedelta(days=1), "[)"),
        end_reason=Placement.EndReason.RELEASED,
    )
    PlacementFactory.create(
        inmate=InmateFactory.create(name="Reserved"),
        kind=Placement.Kind.RESERVATION,
        period=DateRange(today, None, "[)"),
    )
    PlacementFactory.create(
        inmate=InmateFactory.create(name="Cancelled"),
        kind=Placement.Kind.RESERVATION,
        period=DateRange(today, None, "[)"),
        end_reason=Placement.EndReason.CANCELLED,
    )
    InmateFactory.create(name="Never")
    placed = {i.name: i.is_placed for i in selectors.inmate_list()}
    assert placed == {
        "Placed": True,
        "Released": False,
        "Reserved": False,
        "Cancelled": False,
        "Never": False,
    }
    assert _names(selectors.inmate_list(placed=True)) == ["Placed"]
    assert "Placed" not in _names(selectors.inmate_list(placed=False))


def test_search_matches_part_of_the_name_or_case_number_in_any_case() -> None:
    InmateFactory.create(name="Ahmed Karimi", case_number="KF-1")
    InmateFactory.create(name="Jonas Berg", case_number="XY-77")
    assert _names(selectors.inmate_list(search="karim")) == ["Ahmed Karimi"]
    assert _names(selectors.inmate_list(search="xy-7")) == ["Jonas Berg"]
    assert _names(selectors.inmate_list(search="  ")) == ["Ahmed Karimi", "Jonas Berg"]


def test_filters_by_nationality_institution_and_flags() -> None:
    InmateFactory.create(name="A", nationalities=["SE", "IQ"], home_institution="Nyborg Prison")
    InmateFactory.create(name="B", nationalities=["SE"], interpreter_needed=True)
    InmateFactory.create(name="C", nationalities=["PL"], specialist_treatment=True)
    InmateFactory.create(name="D", serious_mental_disorder=True, minor_children_visiting=True)
    assert _names(selectors.inmate_list(nationality="se")) == ["A", "B"]
    assert _names(selectors.inmate_list(institution="nyborg prison")) == ["A"]
    assert _names(selectors.inmate_list(flags=["interpreter"])) == ["B"]
    assert _names(selectors.inmate_list(flags=["medical"])) == ["C", "D"]
    assert _names(selectors.inmate_list(flags=["medical", "children"])) == ["D"]


def test_release_window_is_inclusive_and_leaves_out_inmates_without_a_date() -> None:
    for name, length in [("Early", 400), ("Middle", 900), ("Late", 2000)]:
        JudgmentFactory.create(
            inmate=InmateFactory.create(name=name), length_days=length, remand_days=0
        )
    InmateFactory.create(name="No judgment")
    middle = date(2025, 1, 1) + timedelta(days=900)
    assert _names(selectors.inmate_list(release_from=middle, release_to=middle)) == ["Middle"]
    assert _names(selectors.inmate_list(release_to=middle)) == ["Early", "Middle"]
    assert _names(selectors.inmate_list(release_from=middle)) == ["Late", "Middle"]


def test_sort_orders() -> None:
    JudgmentFactory.create(
        inmate=InmateFactory.create(name="Bo", case_number="3"), length_days=2000
    )
    JudgmentFactory.create(inmate=InmateFactory.create(name="Al", case_number="2"), length_days=400)
    InmateFactory.create(name="Cy", case_number="1")
    assert _names(selectors.inmate_list(order="name")) == ["Al", "Bo", "Cy"]
    assert _names(selectors.inmate_list(order="-name")) == ["Cy", "Bo", "Al"]
    assert _names(selectors.inmate_list(order="case_number")) == ["Cy", "Al", "Bo"]
    assert _names(selectors.inmate_list(order="-case_number")) == ["Bo", "Al", "Cy"]
    # Inmates without a release date come last either way.
    assert _names(selectors.inmate_list(order="release_date")) == ["Al", "Bo", "Cy"]
    assert _names(selectors.inmate_list(order="-release_date")) == ["Bo", "Al", "Cy"]
    assert _names(selectors.inmate_list(order="nonsense")) == ["Al", "Bo", "Cy"]


def test_non_associations_for_finds_the_inmate_on_either_side() -> None:
    first, second, third = InmateFactory.create(), InmateFactory.create(), InmateFactory.create()
    today = timezone.localdate()
    current = NonAssociationFactory.create(inmate_a=first, inmate_b=second)
    past = NonAssociationFactory.create(
        inmate_a=second,
        inmate_b=third,
        active=DateRange(date(2020, 1, 1), date(2021, 1, 1), "[)"),
    )
    rules = list(selectors.non_associations_for(inmate=second))
    assert rules == [current, past]
    assert [r.in_force for r in rules] == [current.active.lower <= today, False]
    assert list(selectors.non_associations_for(inmate=first)) == [current]


def test_filter_choices_list_only_values_in_use() -> None:
    InmateFactory.create(nationalities=["SE"], home_institution="Nyborg Prison")
    InmateFactory.create(nationalities=["SE", "IQ"], home_institution="Storstrøm Prison")
    assert [c.code for c in selectors.nationalities_in_use()] == ["IQ", "SE"]
    assert selectors.home_institutions() == ["Nyborg Prison", "Storstrøm Prison"]
