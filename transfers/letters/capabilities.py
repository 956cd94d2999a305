"""Letters to the people of a case: who makes them (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    "letter.generate": frozenset({Role.CASEWORKER}),
}
