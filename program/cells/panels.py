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


def breaches_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    """Non-associations broken today (both people placed where the scope keeps them apart),
    until one of them moves: the occupancy administrator's to-do at the top of the day."""
    if not allows("cells:occupancy", roles):
        return None
    from django.utils import timezone

    breaches = selectors.non_association_breaches(on=timezone.localdate())
    if not breaches:
        return None
    return {
        "template": "cells/panels/breaches.html",
        "breaches": breaches,
        "show_inmate_links": allows("inmates:detail", roles),
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
