"""The host facility's routes and who may reach them (merged into program.core.policy.ROUTES).

Only the host facility's own staff: what they see is scoped to their posting, and nothing here
carries a conviction, an offence or a health field (docs/host-facility.md).
"""

from program.core.policy import ACTION, FORM, Access
from program.core.roles import Role

HOST_STAFF = frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER})
HOST_MANAGEMENT = frozenset({Role.HOST_MANAGER})

ROUTES: dict[str, Access] = {
    "host:roll": Access(HOST_STAFF),
    "host:arrivals": Access(HOST_STAFF),
    # The check-in page and its admission (GET the person, POST admit).
    "host:check-in": Access(HOST_STAFF, methods=FORM),
    "host:refuse": Access(HOST_STAFF, methods=ACTION),
    "host:headcount": Access(HOST_STAFF, methods=FORM),
    "host:overview": Access(HOST_MANAGEMENT),
}
