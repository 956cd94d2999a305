"""A person's record: who may read and change it (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    # A person's record (conviction, medical, family data): never the finance roles.
    "inmate.read": frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN, Role.AUDITOR}),
    # The whole file, health and family details included (minimisation.py).
    "inmate.full_file.read": frozenset({Role.CASEWORKER, Role.AUDITOR}),
    # Create and edit the record, its judgments and expulsion orders.
    "inmate.edit": frozenset({Role.CASEWORKER}),
    "inmate.import": frozenset({Role.CASEWORKER}),
    # Record and end that two people must be kept apart.
    "keep_apart.edit": frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN}),
}
