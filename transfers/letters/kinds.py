"""The one table of letter kinds: the document each makes, when it may be made, what it needs.

Everything else (the case page's choices, the API's, the services' checks, the transport job)
reads this table.
"""

from dataclasses import dataclass

from transfers.letters.models import LetterKind
from transfers.models import Document, TransferCase

S = TransferCase.State
# From the decision until the inmate leaves: the letters about the decision may be made again.
_AFTER_TRANSFER_DECISION = frozenset({S.DECIDED_TRANSFER, S.NOTIFIED, S.UNDER_APPEAL, S.SCHEDULED})


@dataclass(frozen=True)
class KindSpec:
    document_kind: str
    states: frozenset[str]  # the case states in which it may be made; empty: per transport
    needs_reasons: bool  # the caseworker writes the reasons (Danish, optionally translated)
    # Whether the notice of appeal (`notify_on`) applies: the deadline is counted from it.
    counts_deadline: bool = False


KINDS: dict[str, KindSpec] = {
    LetterKind.TRANSFER_DECISION: KindSpec(
        Document.Kind.DECISION_LETTER,
        _AFTER_TRANSFER_DECISION,
        needs_reasons=True,
        counts_deadline=True,
    ),
    LetterKind.NOTIFICATION: KindSpec(
        Document.Kind.NOTIFICATION_LETTER,
        _AFTER_TRANSFER_DECISION,
        needs_reasons=False,
        counts_deadline=True,
    ),
    LetterKind.NO_TRANSFER_DECISION: KindSpec(
        Document.Kind.DECISION_LETTER, frozenset({S.DECIDED_NO_TRANSFER}), needs_reasons=True
    ),
    LetterKind.APPEAL_OUTCOME: KindSpec(
        Document.Kind.APPEAL_OUTCOME_LETTER,
        frozenset({S.UNDER_APPEAL, S.SCHEDULED, S.DECIDED_NO_TRANSFER}),
        needs_reasons=True,
    ),
    LetterKind.TRANSPORT_MANIFEST: KindSpec(
        Document.Kind.TRANSPORT_MANIFEST, frozenset(), needs_reasons=False
    ),
}

CASE_KINDS = tuple(kind for kind, spec in KINDS.items() if spec.states)


def kinds_for_state(state: str) -> list[str]:
    """The case letters that may be made in this state (before the case's own records say)."""
    return [kind for kind in CASE_KINDS if state in KINDS[kind].states]
