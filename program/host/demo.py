"""The host facility's demo: the demo host officer and host manager work at Gjilan prison, and
today's headcount there is confirmed (the person in transit on the transfers demo's transport
is the arrival to try the check-in on). Runs after the transfer cases (order 50)."""

from typing import TextIO

from django.contrib.auth import get_user_model

from program.cells.demo import FACILITY_NAME
from program.cells.models import Facility
from program.core.demo import register
from program.core.roles import Role
from program.host import selectors, services
from program.host.models import HeadcountConfirmation, StaffPosting


@register(order=60)
def load(out: TextIO) -> None:
    facility = Facility.objects.filter(name=FACILITY_NAME).first()
    if facility is None:
        return
    users = get_user_model().objects.filter(
        username__in=[Role.HOST_OFFICER.value, Role.HOST_MANAGER.value]
    )
    for user in users:
        StaffPosting.objects.get_or_create(user=user, defaults={"facility": facility})
    officer = users.filter(username=Role.HOST_OFFICER.value).first()
    if officer is not None and not HeadcountConfirmation.objects.filter(facility=facility).exists():
        from django.utils import timezone

        on_roll = selectors.roll_count(facility=facility, unit=None, on=timezone.localdate())
        services.headcount_confirm(unit_id=None, counted=on_roll, reason="", actor=officer)
    out.write(
        f"Host facility: {users.count()} staff posted to {facility.name}; "
        f"{HeadcountConfirmation.objects.filter(facility=facility).count()} headcount(s)\n"
    )
