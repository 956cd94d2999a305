from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "program.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # The inmate page (program.inmates) lists the person's incidents without importing us.
        from program.incidents.record_links import incident_links, incident_rows
        from program.inmates import record_links

        record_links.register(key="incidents", rows=incident_rows, build=incident_links)
