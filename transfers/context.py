"""The header's unread-notification count (a context processor, registered in settings)."""

from typing import Any

from django.http import HttpRequest

from program.core.roles import Role, user_roles
from transfers.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """{"unread_notifications": n}: one COUNT query for a caseworker, none for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or Role.CASEWORKER not in user_roles(user):
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
