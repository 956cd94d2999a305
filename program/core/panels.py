from typing import Any

from django.http import HttpRequest

from program.core import selectors
from program.core.policy import allows
from program.core.tasks import HEARTBEAT


def system_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    if not allows("system-status", roles):
        return None
    return {
        "template": "core/panels/system.html",
        "heartbeat_last_run": selectors.heartbeat_last_run(HEARTBEAT),
    }
