from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reference_data_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    # A flush (transactional tests) empties the reference tables; migrate alone would not refill
    # them, so they are topped up after every migrate and flush, as roles are.
    if sender.label != "inmates":
        return
    from program.inmates.models import Country, OffenceCategory
    from program.inmates.reference import reference_data_load

    reference_data_load(Country, OffenceCategory)


class InmatesConfig(AppConfig):
    name = "program.inmates"
    label = "inmates"
    verbose_name = _("Inmates")

    def ready(self) -> None:
        post_migrate.connect(_reference_data_after_migrate, dispatch_uid="inmates.reference_data")
