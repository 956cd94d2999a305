from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from program.core import work_queues
from program.core.navigation import navigation_for
from program.core.roles import role_labels, user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_current": None, "user_role_labels": []}
    roles = user_roles(user)
    items = navigation_for(roles)
    current: str | None
    if request.path == "/":
        current = "home"
    else:
        current = next(
            (
                i.url_name
                for i in items
                if i.path_prefix != "/" and request.path.startswith(i.path_prefix)
            ),
            None,
        )
    return {"nav_items": items, "nav_current": current, "user_role_labels": role_labels(roles)}


def work_queue_counts(request: HttpRequest) -> dict[str, Any]:
    """{"nav_counts": {nav url name: n}}: lazily, so a page without the navigation (and a user
    with no queue) costs no query; all header counts are one query (program.core.work_queues)."""
    return {"nav_counts": SimpleLazyObject(lambda: work_queues.nav_counts(request))}
