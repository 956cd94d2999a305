"""The handover's routes and who may reach them (merged into program.core.policy.ROUTES).

Everyone who handles a person on a transport reads the record (host staff: only those handed
over to their facility, narrowed by the selector); the caseworker fills in the alerts, completes
and records the escort's acknowledgment; health staff write the health details; the receiving
facility's staff acknowledge on arrival. The services check the same roles themselves.
"""

from program.core.policy import ACTION, FORM, READ_WRITE, Access
from program.core.roles import Role

READERS = frozenset(
    {
        Role.CASEWORKER,
        Role.HEALTH_STAFF,
        Role.OCCUPANCY_ADMIN,
        Role.AUDITOR,
        Role.HOST_OFFICER,
        Role.HOST_MANAGER,
    }
)
CASEWORKERS = frozenset({Role.CASEWORKER})
HEALTH = frozenset({Role.HEALTH_STAFF})
PREPARERS = CASEWORKERS | HEALTH
HOSTS = frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER})
POST = frozenset({"POST"})

ROUTES: dict[str, Access] = {
    # --- handover pages (begin)
    "handover:list": Access(roles=READERS),
    "handover:for-case": Access(roles=READERS, methods=FORM, write_roles=PREPARERS),
    "handover:detail": Access(roles=READERS),
    "handover:edit": Access(roles=CASEWORKERS, methods=FORM),
    "handover:health": Access(roles=HEALTH, methods=FORM),
    "handover:complete": Access(roles=READERS, methods=POST, write_roles=CASEWORKERS),
    "handover:escort": Access(roles=READERS, methods=POST, write_roles=CASEWORKERS),
    "handover:arrival": Access(roles=READERS, methods=POST, write_roles=HOSTS),
    "handover:correct": Access(roles=READERS, methods=POST, write_roles=PREPARERS),
    # --- handover pages (end)
    # --- handover API (begin)
    "api:handover-list": Access(
        roles=READERS, methods=frozenset({"GET", "HEAD", "OPTIONS", "POST"}), write_roles=PREPARERS
    ),
    "api:handover-detail": Access(
        roles=READERS, methods=READ_WRITE - {"PUT", "POST", "DELETE"}, write_roles=PREPARERS
    ),
    "api:handover-complete": Access(roles=CASEWORKERS, methods=ACTION),
    "api:handover-acknowledge-escort": Access(roles=CASEWORKERS, methods=ACTION),
    "api:handover-acknowledge-arrival": Access(roles=HOSTS, methods=ACTION),
    "api:handover-correct": Access(roles=PREPARERS, methods=ACTION),
    # --- handover API (end)
}
