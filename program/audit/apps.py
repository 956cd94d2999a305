from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "program.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Every Celery task runs inside a history context naming the task as the actor, so a
        # change made by the worker is never anonymous (program/audit/context.py).
        from program.audit import context
        from program.audit.selectors import last_write
        from program.core.versioning import register_write_history

        context.connect_celery_signals()
        # A refusal of a stale edit names who changed the row and when, from this app's history.
        register_write_history(last_write)
