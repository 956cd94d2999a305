from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "program.notifications"
    label = "notifications"
    verbose_name = "Notifications"
