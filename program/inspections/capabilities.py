"""Inspections: who reads and records them (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    "inspection.read": frozenset({Role.GOVERNOR, Role.OCCUPANCY_ADMIN, Role.AUDITOR}),
    # Record inspections, findings and their actions; the overdue-actions queue is theirs.
    "inspection.edit": frozenset({Role.GOVERNOR, Role.OCCUPANCY_ADMIN}),
}
