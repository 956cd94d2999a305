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
