"""The header's unread-notification count (a context processor, registered in settings)."""

from typing import Any

from django.http import HttpRequest

from program.core.capabilities import can
from program.core.work_queues import request_counts

UNREAD = "unread_notifications"


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """{"unread_notifications": n}: loaded with the request's user (no query of its own), else
    part of the header's one count query for a recipient role (registered in
    NotificationsConfig.ready); none for others."""
    user = getattr(request, "user", None)
    # Only who is sent notifications ("notification.receive") gets a count, and so a query.
    if user is None or not can(user, "notification.receive"):
        return {"unread_notifications": 0}
    return {"unread_notifications": request_counts(request).get(UNREAD, 0)}
