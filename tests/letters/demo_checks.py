"""What the demo's letters must be: called from the demo test, which loads the demo once."""

from tests.letters.conftest import letter_pages
from transfers.letters.models import Letter, LetterKind
from transfers.models import ManifestEntry, TransferCase

S = TransferCase.State


def check_demo_letters() -> None:
    """A real letter on a case in each state that calls for one, and both transports' manifest
    on every booked case; each a PDF that names its person."""
    kinds_by_state = {
        S.DECIDED_TRANSFER: {LetterKind.TRANSFER_DECISION},
        S.NOTIFIED: {LetterKind.TRANSFER_DECISION, LetterKind.NOTIFICATION},
        S.UNDER_APPEAL: {LetterKind.TRANSFER_DECISION, LetterKind.NOTIFICATION},
        S.DECIDED_NO_TRANSFER: {LetterKind.NO_TRANSFER_DECISION},
    }
    for state, kinds in kinds_by_state.items():
        made = {
            frozenset(Letter.objects.filter(case=case).values_list("kind", flat=True))
            for case in TransferCase.objects.filter(state=state, letters__isnull=False)
        }
        assert any(kinds <= set(found) for found in made), (state, made)
    # The outcome of an appeal, on the case whose appeal was decided.
    assert Letter.objects.filter(
        kind=LetterKind.APPEAL_OUTCOME, case__appeal_outcome__in=["upheld", "rejected"]
    ).exists()
    booked = set(
        ManifestEntry.objects.filter(removed_at__isnull=True).values_list("case_id", flat=True)
    )
    with_manifest = set(
        Letter.objects.filter(kind=LetterKind.TRANSPORT_MANIFEST).values_list("case_id", flat=True)
    )
    assert booked
    assert booked == with_manifest
    for letter in (
        Letter.objects.select_related("case__inmate", "document").order_by("kind").distinct("kind")
    ):
        text = " ".join(letter_pages(letter))
        assert letter.case.inmate.name in text, letter
