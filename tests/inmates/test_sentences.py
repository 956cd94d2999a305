"""Several judgments combine into one sentence as it runs (docs/sentences.md).

Before, the registry read only the newest judgment: with a long sentence and a newer short one
served after it, the person's release date was the short one's. These pin the combined dates,
which PostgreSQL keeps on the inmate row on every judgment write.
"""

from datetime import date, timedelta

import pytest

from program.inmates import selectors
from program.inmates.models import Inmate, Judgment
from tests.inmates.factories import InmateFactory, JudgmentFactory

pytestmark = pytest.mark.django_db


def _dates(inmate: Inmate) -> tuple[int | None, date | None, date | None]:
    inmate.refresh_from_db(fields=["sentence_days", "release_on", "two_thirds_on"])
    return inmate.sentence_days, inmate.two_thirds_on, inmate.release_on


def test_the_worked_example_two_sentences_served_one_after_the_other() -> None:
    """The worked example of docs/sentences.md, by hand:

    A: 900 days from 2025-01-01, 30 days of remand credited.
    B: judged later, 120 days from 2025-07-01, served after A (consecutive).
    B starts before A ends (2027-05-21), so the two run as one: 1,020 days, 30 credited.
    Full term: 2025-01-01 + 1,020 - 30 = 2025-01-01 + 990 days = 2027-09-18.
    Two-thirds: ceil(2 × 1,020 / 3) = 680; 2025-01-01 + 680 - 30 = + 650 days = 2026-10-13.
    The newest judgment alone would give 2025-10-29 and 2025-09-19.
    """
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=900, remand_days=30)
    newer = JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2025, 6, 1),
        final_on=date(2025, 6, 20),
        sentence_start=date(2025, 7, 1),
        length_days=120,
        remand_days=0,
    )
    assert date(2025, 1, 1) + timedelta(days=990) == date(2027, 9, 18)
    assert date(2025, 1, 1) + timedelta(days=650) == date(2026, 10, 13)
    assert _dates(inmate) == (1020, date(2026, 10, 13), date(2027, 9, 18))
    # What the newest judgment alone says, which the rules used to read:
    newer.refresh_from_db()
    assert (newer.two_thirds_date, newer.full_term_date) == (date(2025, 9, 19), date(2025, 10, 29))
    listed = selectors.inmate_queryset().get(pk=inmate.pk)
    assert listed.release_date == date(2027, 9, 18)


def test_a_sentence_running_alongside_counts_from_its_own_start() -> None:
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=900, remand_days=30)
    JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2025, 2, 1),
        final_on=date(2025, 2, 15),
        sentence_start=date(2025, 3, 1),
        length_days=400,
        remand_days=0,
        runs=Judgment.Runs.CONCURRENT,
    )
    # The 900-day sentence alone: 2025-01-01 + 870 and + 570; the concurrent one ends earlier.
    assert _dates(inmate) == (900, date(2026, 7, 25), date(2027, 5, 21))


def test_a_concurrent_sentence_that_ends_later_sets_the_release() -> None:
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=300, remand_days=0)
    JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2025, 2, 1),
        final_on=date(2025, 2, 15),
        sentence_start=date(2025, 6, 1),
        length_days=600,
        remand_days=0,
        runs=Judgment.Runs.CONCURRENT,
    )
    assert _dates(inmate) == (600, date(2025, 6, 1) + timedelta(days=400), date(2027, 1, 22))


def test_a_sentence_starting_after_the_last_one_was_served_out_starts_afresh() -> None:
    inmate = InmateFactory()
    JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2020, 1, 1),
        final_on=date(2020, 1, 10),
        sentence_start=date(2020, 2, 1),
        length_days=100,
        remand_days=0,
    )
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=300, remand_days=0)
    # Not 400 days from 2020: the first was served out in 2020.
    assert _dates(inmate) == (300, date(2025, 1, 1) + timedelta(days=200), date(2025, 10, 28))


def test_an_indefinite_sentence_among_them_leaves_no_date_to_count_to() -> None:
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=900)
    JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2025, 5, 1),
        final_on=date(2025, 5, 15),
        sentence_type=Judgment.SentenceType.FORVARING,
        length_days=None,
        remand_days=0,
    )
    assert _dates(inmate) == (None, None, None)


def test_changing_or_deleting_a_judgment_recomputes_the_person_s_dates() -> None:
    inmate = InmateFactory()
    JudgmentFactory(inmate=inmate, sentence_start=date(2025, 1, 1), length_days=900, remand_days=30)
    newer = JudgmentFactory(
        inmate=inmate,
        judgment_date=date(2025, 6, 1),
        final_on=date(2025, 6, 15),
        sentence_start=date(2025, 7, 1),
        length_days=120,
        remand_days=0,
    )
    Judgment.objects.filter(pk=newer.pk).update(length_days=60)
    assert _dates(inmate)[2] == date(2025, 1, 1) + timedelta(days=930)
    newer.delete()
    assert _dates(inmate) == (900, date(2025, 1, 1) + timedelta(days=570), date(2027, 5, 21))
