from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        # Occupancy (program.cells) counts paid-but-empty place-days from the day rent starts.
        from finance.selectors import rent_terms_for_occupancy
        from program.cells import providers

        providers.register_rent_terms(rent_terms_for_occupancy)
