from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    # Keeps a record per person on a transport, so it reads transfers' cases and transports:
    # it sits above transfers (as transfers.letters does) although it lives under program/.
    # Transfers asks it before a departure through transfers/departure_checks.py.
    name = "program.handover"
    label = "handover"
    verbose_name = _("Handover at transfer")

    def ready(self) -> None:
        from program.handover.departure import missing_handovers
        from transfers import departure_checks

        departure_checks.register(missing_handovers)

        # The transport page reads each seat's handover in force with its manifest.
        from program.handover.selectors import seat_handover_row
        from transfers import seat_annotations

        seat_annotations.register("handover_row", seat_handover_row)
