"""Transfer cases and transports: who may do what (merged by program.core.capabilities).

The services narrow each move to its own capability (transfers/moves.py MOVES)."""

from program.core.roles import Role

_CASEWORKER = frozenset({Role.CASEWORKER})
_OCCUPANCY_OFFICE = frozenset({Role.OCCUPANCY_ADMIN})
_CASEWORKER_OR_OCCUPANCY = _CASEWORKER | _OCCUPANCY_OFFICE
_PROGRAMME_STAFF = frozenset(
    {
        Role.CASEWORKER,
        Role.OCCUPANCY_ADMIN,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.AUDITOR,
    }
)

CAPABILITIES: dict[str, frozenset[str]] = {
    # Transfer files hold conviction, medical and family data: never the finance roles.
    "case.read": frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN, Role.AUDITOR}),
    "case.open": _CASEWORKER,
    # The caseworker's own steps: opinions, decisions, appeals, notifying, scheduling,
    # departure, release preparation, periodic reviews; a case's caseworker owns it.
    "case.manage": _CASEWORKER,
    "case.screen": _CASEWORKER,
    # Some move of a case's state (each move narrows it to its own capability).
    "case.move": _CASEWORKER_OR_OCCUPANCY,
    # The end of a stay (return, deportation, release): from the case page or, by the
    # occupancy administrator, from the unit page and the placements API.
    "case.stay.end": _CASEWORKER_OR_OCCUPANCY,
    # An arrival: the occupancy administrator, or the host facility's staff at the gate
    # (program.host's check-in, scoped to their facility there).
    "case.arrival.record": _OCCUPANCY_OFFICE | {Role.HOST_OFFICER, Role.HOST_MANAGER},
    "case.document.upload": _CASEWORKER_OR_OCCUPANCY,
    "transport.plan": _CASEWORKER,
    "transport.depart": _CASEWORKER,
    "transport.arrive": _OCCUPANCY_OFFICE,
    # The manifest handed to the host prison: those who run the transport.
    "transport.manifest.read": _CASEWORKER_OR_OCCUPANCY,
    "eligibility.rules.edit": _OCCUPANCY_OFFICE,
    "intake.run": _CASEWORKER,
    # The programme report's numbers (the cases behind a figure need case.read).
    "programme.report.read": _PROGRAMME_STAFF,
}
