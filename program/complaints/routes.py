"""The complaints' routes and who may reach them (merged into program.core.policy.ROUTES).

Caseworkers and the governor register and answer; the auditor reads. The host facility's staff
reach only the receipts: that a complaint was handed in at their facility, never what it says
or how it was answered (a complaint may be about them).
"""

from program.core.policy import ACTION, FORM, READ, Access

ROUTES: dict[str, Access] = {
    "complaints:list": Access("complaint.read"),
    "complaints:detail": Access("complaint.read"),
    "complaints:register": Access("complaint.handle", methods=FORM),
    "complaints:edit": Access("complaint.handle", methods=FORM),
    "complaints:answer": Access("complaint.handle", methods=FORM),
    "complaints:document-upload": Access(
        "complaint.read", methods=frozenset({"POST"}), write="complaint.handle"
    ),
    "complaints:document-download": Access("complaint.read"),
    "complaints:receipts": Access("complaint.receipt"),
    "complaints:receipt-create": Access("complaint.receipt", methods=FORM),
    "api:complaint-list": Access(
        "complaint.read", methods=READ | {"POST"}, write="complaint.handle"
    ),
    "api:complaint-detail": Access(
        "complaint.read", methods=READ | {"PATCH"}, write="complaint.handle"
    ),
    "api:complaint-answer": Access("complaint.read", methods=ACTION, write="complaint.handle"),
    "api:complaint-documents": Access("complaint.read", methods=ACTION, write="complaint.handle"),
    "api:complaint-receipt-list": Access("complaint.receipt", methods=READ | {"POST"}),
}
