from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    # post_migrate fires once per app, after that app's permissions are created; the role groups
    # need every app's permissions, so they are synced when the last app's signal arrives.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from program.core.roles import roles_sync

    roles_sync()


class CoreConfig(AppConfig):
    name = "program.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Django creates permissions in post_migrate, and the role groups are built from them.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="core.roles_sync")
        # The security event log and what follows a user change (see that module for why these
        # are signals).
        from program.core import security_events

        security_events.connect()
        # The project's security checks (tag "security") register themselves on import.
        from program.core import checks  # noqa: F401
