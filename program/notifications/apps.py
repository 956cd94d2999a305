from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "program.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The unread count comes with the request's user (program.core.request_user); a user
        # loaded any other way has it ride on the header's one count query with the work queues.
        from program.core.request_user import unread_notifications_loaded
        from program.core.work_queues import extra_counts
        from program.notifications.context import UNREAD
        from program.notifications.selectors import unread_rows

        extra_counts(UNREAD, "notification.receive", unread_rows, unread_notifications_loaded)
