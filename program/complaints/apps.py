from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "program.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        # The person's record lists their complaints for the roles that may read them.
        from program.complaints.record_links import complaint_links, complaint_rows
        from program.inmates import record_links

        record_links.register(key="complaints", rows=complaint_rows, build=complaint_links)
