"""The access log and record histories: who reads them (merged by
program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    # The access log names staff and what they looked at: auditors only.
    "access_log.read": frozenset({Role.AUDITOR}),
    # A person's file's history, for those who may read the file.
    "audit.history.read": frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN, Role.AUDITOR}),
    # The history of every other kind of record.
    "audit.history.any_record": frozenset({Role.AUDITOR}),
    # Told when the access watch sees unusual reading.
    "audit.alert.receive": frozenset({Role.AUDITOR}),
}
