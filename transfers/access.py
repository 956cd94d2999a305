"""What the access log asks of transfers: is this read part of the reader's own open case?

Named in settings (AUDIT_OPEN_CASE_CHECK), so program.audit needs no import of transfers.
"""

from typing import Any

from transfers.models import TransferCase

CLOSED_STATES = frozenset(
    {"decided_no_transfer", "returned", "deported", "released_not_removable", "withdrawn"}
)


def caseworker_has_open_case(user: Any, inmate_id: int) -> bool:
    """Whether this user is the caseworker of an open transfer case of this inmate."""
    return (
        TransferCase.objects.filter(
            inmate_id=inmate_id, caseworker_id=user.pk, closed_at__isnull=True
        )
        .exclude(state__in=CLOSED_STATES)
        .exists()
    )


def caseworker_inmate_ids(user: Any) -> Any:
    """The ids of the people whose transfer cases this user is the caseworker of (a subquery)."""
    return TransferCase.objects.filter(caseworker_id=user.pk).values("inmate_id")
