from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


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
    verbose_name = _("Core")

    def ready(self) -> None:
        # Django creates permissions in post_migrate, and the role groups are built from them.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="core.roles_sync")
        # The security event log and what follows a user change (see that module for why these
        # are signals).
        from program.core import security_events

        security_events.connect()
        # At sign-in the user's saved language is written to the language cookie.
        from django.contrib.auth.signals import user_logged_in

        from program.core import language

        user_logged_in.connect(language.user_logged_in, dispatch_uid="core.language_at_sign_in")
        # The project's security checks (tag "security") register themselves on import.
        from program.core import checks  # noqa: F401
