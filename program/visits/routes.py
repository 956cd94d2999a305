"""Family contact's routes and who may reach them (merged into program.core.policy.ROUTES).

Host-facility staff see and book their facility's visit schedule; caseworkers request and see
the visits of their cases; the governor and the auditor read. Finance roles never reach a
person's visits (the travel grant shows them only the visit's date and the visitors' relation).
The selectors narrow each role to its own facility or cases.
"""

from program.core.policy import ACTION, FORM, READ, Access
from program.core.roles import Role

VISIT_READERS = frozenset(
    {Role.CASEWORKER, Role.HOST_OFFICER, Role.HOST_MANAGER, Role.GOVERNOR, Role.AUDITOR}
)
VISIT_REQUESTERS = frozenset({Role.CASEWORKER, Role.HOST_OFFICER, Role.HOST_MANAGER})
VISIT_BOOKERS = frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER})

ROUTES: dict[str, Access] = {
    "visits:list": Access(roles=VISIT_READERS),
    "visits:person": Access(roles=VISIT_READERS),
    "visits:detail": Access(roles=VISIT_READERS),
    "visits:request": Access(roles=VISIT_REQUESTERS, methods=FORM),
    "visits:book": Access(roles=VISIT_BOOKERS, methods=FORM),
    "visits:outcome": Access(roles=VISIT_REQUESTERS, methods=FORM),
    "api:visit-list": Access(
        roles=VISIT_READERS, methods=READ | {"POST"}, write_roles=VISIT_REQUESTERS
    ),
    "api:visit-detail": Access(roles=VISIT_READERS),
    "api:visit-book": Access(roles=VISIT_READERS, methods=ACTION, write_roles=VISIT_BOOKERS),
    "api:visit-outcome": Access(roles=VISIT_READERS, methods=ACTION, write_roles=VISIT_REQUESTERS),
    "api:visit-contact-counts": Access(roles=VISIT_READERS),
}
