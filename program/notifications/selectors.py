from django.contrib.auth.models import User
from django.db.models import QuerySet

from program.notifications.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """A user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_rows(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_count(user: User) -> int:
    return unread_rows(user).count()
