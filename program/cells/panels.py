from typing import Any

from django.http import HttpRequest

from program.cells import selectors
from program.core.policy import allows


def programme_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    if not allows("cells:agreement-list", roles):
        return None
    return {
        "template": "cells/panels/programme.html",
        "facilities": list(selectors.facility_list()),
        "show_facility_links": allows("cells:facility-detail", roles),
    }


def occupancy_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    """Today's occupied places against the cap, per agreement, with a link to the dashboard."""
    if not allows("cells:occupancy", roles):
        return None
    # Imported here so that this panel is appended without touching the module's imports.
    from django.utils import timezone

    from program.cells import occupancy

    today = timezone.localdate()
    return {
        "template": "cells/panels/occupancy.html",
        "agreements": occupancy.agreements_today(on=today),
        "today": today,
    }
