from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "program.visits"
    label = "visits"
    verbose_name = _("Family contact")

    def ready(self) -> None:
        # The person's record page shows the count of visits and video calls beside E15.
        from program.inmates import record_links
        from program.visits.record_links import contact_links, contact_rows

        record_links.register(key="visits", rows=contact_rows, build=contact_links)
