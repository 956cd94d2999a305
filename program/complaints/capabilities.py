"""Complaints: who reads, handles and receives them (merged by
program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    "complaint.read": frozenset({Role.CASEWORKER, Role.GOVERNOR, Role.AUDITOR}),
    # Register, edit, answer, attach documents; the "answers due" queue is theirs.
    "complaint.handle": frozenset({Role.CASEWORKER, Role.GOVERNOR}),
    # Who is given a complaint they register to handle themselves.
    "complaint.handle.own": frozenset({Role.CASEWORKER}),
    # Told when a complaint's answer is overdue.
    "complaint.overdue.receive": frozenset({Role.GOVERNOR}),
    # The host facility's staff hand out receipts for complaints made at their facility.
    "complaint.receipt": frozenset({Role.HOST_OFFICER, Role.HOST_MANAGER}),
}
