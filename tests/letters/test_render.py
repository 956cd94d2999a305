"""Each letter rendered in Danish beside English or Arabic, read back from the PDF's text."""

from datetime import date

import pytest

from tests.letters.conftest import (
    DECIDED_ON,
    REASONS_AR,
    REASONS_DA,
    S,
    decided_case,
    letter_pages,
)
from transfers.letters import services
from transfers.letters.data import Inputs
from transfers.letters.models import LetterKind
from transfers.models import Decision, TransferCase

NOTIFY_ON = date(2026, 10, 12)
DEADLINE = "2026-12-11"  # NOTIFY_ON + 60 days (the appeal_days default)
NAME = "Søren Ærø-Müller"
TITLES = {
    LetterKind.TRANSFER_DECISION: (
        "Afgørelse om overførsel til afsoning i Kosovo",
        "Decision on transfer to serve your sentence in Kosovo",
        "قرار بشأن نقلك لقضاء العقوبة في كوسوفو",
    ),
    LetterKind.NOTIFICATION: (
        "Meddelelse om afgørelse om overførsel",
        "Notification of the decision on transfer",
        "إشعار بقرار النقل",
    ),
    LetterKind.NO_TRANSFER_DECISION: (
        "Du bliver ikke overført til afsoning i Kosovo",
        "you will not be transferred to serve your sentence in Kosovo",
        "لن يتم نقلك لقضاء العقوبة في كوسوفو",
    ),
    LetterKind.APPEAL_OUTCOME: (
        "Afgørelse i din klage over overførsel",
        "Decision on your appeal against transfer",
        "قرار بشأن طعنك في النقل",
    ),
}


def _case_for(kind: str, carla, language: str) -> TransferCase:
    if kind == LetterKind.NO_TRANSFER_DECISION:
        return decided_case(
            carla,
            state=S.DECIDED_NO_TRANSFER,
            outcome=Decision.Outcome.NO_TRANSFER,
            languages=[language],
        )
    if kind == LetterKind.APPEAL_OUTCOME:
        return decided_case(
            carla,
            state=S.UNDER_APPEAL,
            languages=[language],
            notified_on=NOTIFY_ON,
            appeal_deadline=date(2026, 12, 11),
            appeal_lodged_on=date(2026, 10, 20),
            appeal_outcome=TransferCase.AppealOutcome.REJECTED,
            appeal_decided_on=date(2026, 11, 2),
        )
    return decided_case(carla, languages=[language])


def _squash(text: str) -> str:
    # pypdf puts the isolate marks and line breaks where the layout has them.
    return " ".join(text.replace("\u2068", "").replace("\u2069", "").split())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(TITLES))
@pytest.mark.parametrize("language", ["English", "Arabic"])
def test_each_letter_names_the_person_dates_reasons_and_deadline_in_both_languages(
    programme, carla, kind, language
) -> None:
    case = _case_for(kind, carla, language)
    translated = REASONS_AR if language == "Arabic" else ""
    generated = services.letter_generate(
        case=case,
        kind=kind,
        actor=carla,
        inputs=Inputs(reasons=REASONS_DA, reasons_translation=translated, notify_on=NOTIFY_ON),
    )
    letter = generated.letter
    second = "ar" if language == "Arabic" else "en"
    assert letter.languages == ["da", second]
    assert not letter.fell_back
    pages = [_squash(page) for page in letter_pages(letter)]
    # The Danish part, then the second language's from a new page.
    split = next(
        n for n, page in enumerate(pages) if TITLES[kind][1 if second == "en" else 2] in page
    )
    danish, other = " ".join(pages[:split]), " ".join(pages[split:])
    assert split >= 1
    assert TITLES[kind][0] in danish
    for part in (danish, other):
        assert NAME in part
        assert case.inmate.case_number in part
        assert "1988-03-14" in part
    if kind != LetterKind.NOTIFICATION:  # the notice encloses the decision; no reasons
        assert REASONS_DA in danish
        assert (REASONS_AR if second == "ar" else REASONS_DA) in other
    if kind in (LetterKind.TRANSFER_DECISION, LetterKind.NOTIFICATION):
        for part in (danish, other):
            assert DEADLINE in part
        assert "Direktoratet for Kriminalforsorgen" in danish or kind == LetterKind.NOTIFICATION
    if kind in (LetterKind.TRANSFER_DECISION, LetterKind.NO_TRANSFER_DECISION):
        assert DECIDED_ON.isoformat() in danish
        assert "Straffuldbyrdelsesloven § 1 a" in danish
    if kind == LetterKind.APPEAL_OUTCOME:
        assert "2026-11-02" in danish
        assert "Du får ikke medhold i din klage" in danish
