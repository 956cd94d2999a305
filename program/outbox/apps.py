from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "program.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        # The worker marks a row done when its task succeeded (a Celery signal, not a Django one).
        from program.outbox import signals  # noqa: F401
