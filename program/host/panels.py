"""The host facility's home panel: which facility the user works at and today's figures there,
or, without a posting, what to do about it."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from program.core.capabilities import holds
from program.host import selectors


def host_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    if not holds(roles, "host.work"):
        return None
    facility = selectors.posted_facility(request.user)
    if facility is None:
        return {"template": "host/panels/host.html", "facility": None}
    today = timezone.localdate()
    return {
        "template": "host/panels/host.html",
        "facility": facility,
        "present": selectors.roll_count(facility=facility, unit=None, on=today),
        "today": today,
    }
