"""Handovers: who reads, prepares and acknowledges them (merged by
program.core.capabilities)."""

from program.core.roles import Role

_CASEWORKER = frozenset({Role.CASEWORKER})
_HEALTH = frozenset({Role.HEALTH_STAFF})

CAPABILITIES: dict[str, frozenset[str]] = {
    # Everyone who handles the person on a transport (host staff: only those handed over to
    # their facility, narrowed by the selector).
    "handover.read": frozenset(
        {
            Role.CASEWORKER,
            Role.HEALTH_STAFF,
            Role.OCCUPANCY_ADMIN,
            Role.AUDITOR,
            Role.HOST_OFFICER,
            Role.HOST_MANAGER,
        }
    ),
    # Every handover, not only those handed over to one's own facility.
    "handover.read.every": frozenset(
        {Role.CASEWORKER, Role.HEALTH_STAFF, Role.OCCUPANCY_ADMIN, Role.AUDITOR}
    ),
    # Start, fill in and correct a record (each its own part, below).
    "handover.prepare": _CASEWORKER | _HEALTH,
    # The alerts and what to do; completing; the escort's acknowledgment.
    "handover.alerts.edit": _CASEWORKER,
    "handover.complete": _CASEWORKER,
    "handover.escort.record": _CASEWORKER,
    # The health details: written and read by health staff only.
    "handover.health.edit": _HEALTH,
    "handover.health.read": _HEALTH,
    "handover.arrival.acknowledge": frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER}),
}
