from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "program.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        # The worker marks a row done when its task succeeded (a Celery signal, not a Django one).
        from program.outbox import signals  # noqa: F401
