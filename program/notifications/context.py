"""The header's unread-notification count (a context processor, registered in settings)."""

from typing import Any

from django.http import HttpRequest

from program.core.roles import Role, user_roles
from program.core.work_queues import request_counts

UNREAD = "unread_notifications"

# The roles that are sent notifications (case deadlines, tranches that fell due or overdue or
# wait for approval, arrivals coming). Everyone else gets no count and so
# no query.
RECIPIENT_ROLES = frozenset(
    {
        Role.CASEWORKER,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.OCCUPANCY_ADMIN,
    }
)


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """{"unread_notifications": n}: loaded with the request's user (no query of its own), else
    part of the header's one count query for a recipient role (registered in
    NotificationsConfig.ready); none for others."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or RECIPIENT_ROLES.isdisjoint(user_roles(user)):
        return {"unread_notifications": 0}
    return {"unread_notifications": request_counts(request).get(UNREAD, 0)}
