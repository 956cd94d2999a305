"""The inspections' routes and who may reach them (merged into program.core.policy.ROUTES).

The governor and the occupancy administrators record inspections and findings and move the
promised actions; the auditor reads. Finance staff do not reach these pages: they see a
finding's title and status on the tranche it holds back (finance). Host-facility staff are not
given them (docs/inspections.md).
"""

from program.core.policy import FORM, READ, Access
from program.core.roles import Role

READERS = frozenset({Role.GOVERNOR, Role.OCCUPANCY_ADMIN, Role.AUDITOR})
WRITERS = frozenset({Role.GOVERNOR, Role.OCCUPANCY_ADMIN})

_WRITE = Access(roles=READERS, methods=FORM, write_roles=WRITERS)
_READ = Access(roles=READERS, methods=READ)

ROUTES: dict[str, Access] = {
    "inspections:list": _READ,
    "inspections:overdue": _READ,
    "inspections:detail": _READ,
    "inspections:report": _READ,
    "inspections:finding-detail": _READ,
    "inspections:create": Access(roles=WRITERS, methods=FORM),
    "inspections:edit": Access(roles=WRITERS, methods=FORM),
    "inspections:finding-create": Access(roles=WRITERS, methods=FORM),
    "inspections:finding-edit": Access(roles=WRITERS, methods=FORM),
    # GET shows the finding page (the auditor may read it); POST moves the action.
    "inspections:action-add": _WRITE,
    "inspections:action-update": _WRITE,
    # --- API
    "api:inspection-list": Access(roles=READERS, methods=READ | {"POST"}, write_roles=WRITERS),
    "api:inspection-detail": Access(roles=READERS, methods=READ | {"PATCH"}, write_roles=WRITERS),
    "api:inspection-report": Access(roles=WRITERS, methods=frozenset({"POST"})),
    "api:finding-list": Access(roles=READERS, methods=READ | {"POST"}, write_roles=WRITERS),
    "api:finding-detail": Access(roles=READERS, methods=READ | {"PATCH"}, write_roles=WRITERS),
    "api:finding-action-list": Access(roles=READERS, methods=READ | {"POST"}, write_roles=WRITERS),
    "api:finding-action-detail": Access(
        roles=READERS, methods=READ | {"PATCH"}, write_roles=WRITERS
    ),
}
