"""The incident routes and who may reach them (merged into program.core.policy.ROUTES).

Readers: the Danish roles that answer for life at the facility (caseworker, occupancy
administrator, auditor, governor) and the host facility's staff, who see only their own
facility's incidents (selectors.incidents_for). Never the finance roles. Reporters: host staff,
the governor and caseworkers; reviewer: the governor.
"""

from program.core.policy import ACTION, FORM, READ, Access
from program.core.roles import Role

INCIDENT_READERS = frozenset(
    {
        Role.CASEWORKER,
        Role.OCCUPANCY_ADMIN,
        Role.AUDITOR,
        Role.GOVERNOR,
        Role.HOST_OFFICER,
        Role.HOST_MANAGER,
    }
)
INCIDENT_REPORTERS = frozenset(
    {Role.HOST_OFFICER, Role.HOST_MANAGER, Role.GOVERNOR, Role.CASEWORKER}
)
INCIDENT_REVIEWERS = frozenset({Role.GOVERNOR})

ROUTES: dict[str, Access] = {
    "incidents:list": Access(roles=INCIDENT_READERS),
    "incidents:create": Access(roles=INCIDENT_REPORTERS, methods=FORM),
    "incidents:detail": Access(roles=INCIDENT_READERS),
    "incidents:review": Access(roles=INCIDENT_REVIEWERS, methods=FORM),
    "incidents:add-information": Access(roles=INCIDENT_REPORTERS, methods=FORM),
    "api:incident-list": Access(
        roles=INCIDENT_READERS, methods=READ | {"POST"}, write_roles=INCIDENT_REPORTERS
    ),
    "api:incident-detail": Access(roles=INCIDENT_READERS),
    "api:incident-review": Access(roles=INCIDENT_REVIEWERS, methods=ACTION),
}
