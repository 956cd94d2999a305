"""The host facility's own staff: what they may do (merged by program.core.capabilities)."""

from program.core.roles import Role

_HOST_STAFF = frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER})

CAPABILITIES: dict[str, frozenset[str]] = {
    # The roll, arrivals, check-in, refusal and headcount at the facility one is posted to;
    # every selector narrows what these staff see to that facility.
    "host.work": _HOST_STAFF,
    "host.overview.read": frozenset({Role.HOST_MANAGER}),
}
