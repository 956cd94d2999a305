from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "transfers"
    verbose_name = _("Transfer cases")

    def ready(self) -> None:
        # The unit page and the placements API (program.cells) ask the case before they admit
        # or release a person whose stay a transfer case owns.
        from program.cells import providers, stays
        from transfers.arrivals import expected_arrivals
        from transfers.stays import STAYS

        stays.register(STAYS)
        # The occupancy forecast counts the people decided for transfer at their arrival.
        providers.register_arrivals(expected_arrivals)
        # The inmate page (program.inmates) links to the person's cases without importing us.
        from program.inmates import record_links
        from transfers.record_links import case_links, case_rows

        record_links.register(key="transfers", rows=case_rows, build=case_links)
        # The host facility's arrival pages (program.host) list the people on their way and
        # refuse at the gate through the case's move.
        from program.host import arrivals
        from transfers.host_arrivals import ARRIVALS

        arrivals.register(ARRIVALS)
