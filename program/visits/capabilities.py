"""Visits: who reads, requests and books them (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    "visit.read": frozenset(
        {Role.CASEWORKER, Role.HOST_OFFICER, Role.HOST_MANAGER, Role.GOVERNOR, Role.AUDITOR}
    ),
    # Every visit, not only those of one's facility or one's cases.
    "visit.read.every": frozenset({Role.GOVERNOR, Role.AUDITOR}),
    # Request a visit, record it cancelled or refused.
    "visit.request": frozenset({Role.CASEWORKER, Role.HOST_OFFICER, Role.HOST_MANAGER}),
    # Book a visit, record that it took place: the facility's own staff.
    "visit.book": frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER}),
}
