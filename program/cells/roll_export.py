"""The nominal roll as it leaves the system, over the API or as a CSV file.

The roll names everyone who holds a place that day, so whoever reads it is written in the
access log: one row naming them all. Both ways out read it here, so neither can forget the log.
"""

from datetime import date

from django.http import HttpRequest

from program.audit.listing import log_listed
from program.cells import occupancy
from program.cells.models import Facility
from program.cells.occupancy import RollLine


def logged_nominal_roll(request: HttpRequest, *, facility: Facility, on: date) -> list[RollLine]:
    lines = occupancy.nominal_roll(facility=facility, on=on)
    log_listed(
        request,
        lines,
        ("placement.inmate_id",),
        criterion={"facility": facility.pk, "date": on.isoformat()},
        action="export",
    )
    return lines
