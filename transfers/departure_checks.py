"""What must be ready before a person leaves on a transport, asked of the apps above transfers.

An app that keeps a record every traveller needs (program.handover: the handover record the
escort acknowledges) registers a check from its AppConfig.ready(); the departure move asks each
check and is refused naming what it reports, so transfers imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from transfers.models import TransferCase, TransportBatch

# (case, its transport) → what is still missing before it may leave, in words; [] when ready.
DepartureCheck = Callable[[TransferCase, TransportBatch], list[str]]
_CHECKS: list[DepartureCheck] = []


def register(check: DepartureCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def missing_before_departure(case: TransferCase, batch: TransportBatch) -> list[str]:
    return [missing for check in _CHECKS for missing in check(case, batch)]
