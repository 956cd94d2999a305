"""Incidents: who reads, reports and reviews them (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    # Host staff read only their own facility's incidents (selectors.incidents_for).
    "incident.read": frozenset(
        {
            Role.CASEWORKER,
            Role.OCCUPANCY_ADMIN,
            Role.AUDITOR,
            Role.GOVERNOR,
            Role.HOST_OFFICER,
            Role.HOST_MANAGER,
        }
    ),
    # The Danish roles that answer for life at the facility read every incident.
    "incident.read.every_facility": frozenset(
        {Role.CASEWORKER, Role.OCCUPANCY_ADMIN, Role.AUDITOR, Role.GOVERNOR}
    ),
    "incident.report": frozenset(
        {Role.HOST_OFFICER, Role.HOST_MANAGER, Role.GOVERNOR, Role.CASEWORKER}
    ),
    # The governor reviews every incident, and so is told of each and may be named in one.
    "incident.review": frozenset({Role.GOVERNOR}),
}
