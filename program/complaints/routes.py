"""The complaints' routes and who may reach them (merged into program.core.policy.ROUTES).

Caseworkers and the governor register and answer; the auditor reads. The host facility's staff
reach only the receipts: that a complaint was handed in at their facility, never what it says
or how it was answered (a complaint may be about them).
"""

from program.core.policy import ACTION, FORM, READ, Access
from program.core.roles import Role

READERS = frozenset({Role.CASEWORKER, Role.GOVERNOR, Role.AUDITOR})
WRITERS = frozenset({Role.CASEWORKER, Role.GOVERNOR})
HOST_STAFF = frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER})

ROUTES: dict[str, Access] = {
    "complaints:list": Access(roles=READERS),
    "complaints:detail": Access(roles=READERS),
    "complaints:register": Access(roles=WRITERS, methods=FORM),
    "complaints:edit": Access(roles=WRITERS, methods=FORM),
    "complaints:answer": Access(roles=WRITERS, methods=FORM),
    "complaints:document-upload": Access(
        roles=READERS, methods=frozenset({"POST"}), write_roles=WRITERS
    ),
    "complaints:document-download": Access(roles=READERS),
    "complaints:receipts": Access(roles=HOST_STAFF),
    "complaints:receipt-create": Access(roles=HOST_STAFF, methods=FORM),
    "api:complaint-list": Access(roles=READERS, methods=READ | {"POST"}, write_roles=WRITERS),
    "api:complaint-detail": Access(roles=READERS, methods=READ | {"PATCH"}, write_roles=WRITERS),
    "api:complaint-answer": Access(roles=READERS, methods=ACTION, write_roles=WRITERS),
    "api:complaint-documents": Access(roles=READERS, methods=ACTION, write_roles=WRITERS),
    "api:complaint-receipt-list": Access(roles=HOST_STAFF, methods=READ | {"POST"}),
}
