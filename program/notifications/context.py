"""The header's unread-notification count (a context processor, registered in settings)."""

from typing import Any

from django.http import HttpRequest

from program.core.roles import Role, user_roles
from program.notifications.selectors import unread_count

# The roles that are sent notifications (case deadlines; tranches that fell due or overdue).
# Everyone else gets no count and so no query.
RECIPIENT_ROLES = frozenset({Role.CASEWORKER, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER})


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """{"unread_notifications": n}: one COUNT query for a recipient role, none for others."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or RECIPIENT_ROLES.isdisjoint(user_roles(user)):
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
