"""Notifications: who reads them (merged by program.core.capabilities)."""

from program.core.roles import Role

CAPABILITIES: dict[str, frozenset[str]] = {
    # Each user sees only their own; every role that works in the programme may open the page.
    "notification.read": frozenset(
        {
            Role.CASEWORKER,
            Role.OCCUPANCY_ADMIN,
            Role.FINANCE_OFFICER,
            Role.FINANCE_APPROVER,
            Role.AUDITOR,
        }
    ),
    # Those who are sent notifications (case deadlines, tranches, arrivals) and so see the
    # header's unread count; everyone else gets none and so no query.
    "notification.receive": frozenset(
        {
            Role.CASEWORKER,
            Role.FINANCE_OFFICER,
            Role.FINANCE_APPROVER,
            Role.OCCUPANCY_ADMIN,
        }
    ),
}
