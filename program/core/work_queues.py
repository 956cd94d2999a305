"""Work queues: "waiting for me" lists on the home page, with their counts in the navigation.

Each app declares its own queues (settings.WORK_QUEUES names them), so core imports no app: a
queue says which roles have it, which navigation entry carries its count, and how to find its
rows for one user. The header shows every count on every page, so all of a user's counts (and
any other header count registered with `extra_counts`) are taken in ONE query, once per request:
a row of scalar COUNT subqueries. An extra count that came with the request's user (the unread
notifications: program.core.request_user loads it in the user's own SELECT) is taken from there,
so a user whose roles have no queue costs no query at all, and one with queues exactly one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from program.core.capabilities import holds, roles_with
from program.core.roles import user_roles

# How many rows of each queue the home page lists; the queue's own page has the rest.
HOME_ROWS = 8
# How many rows of each queue the API twin lists (with the full count beside them).
API_ROWS = 100


@dataclass(frozen=True)
class QueueItem:
    """One row of a queue as the home page lists it: never a person's name (the home page is
    not a record read), only numbers, states and dates."""

    text: str
    url: str
    detail: str = ""
    urgent: bool = False  # overdue or otherwise late: marked in words, not by colour alone
    # The item's resource in the REST API (the API twin, /api/v1/work-queues/, links to it).
    api_url: str = ""


@dataclass(frozen=True)
class WorkQueue:
    key: str
    label: str | Promise  # "Tranches waiting for my approval"
    empty: str | Promise  # what the home page says when nothing waits
    # Whose queue it is: the users holding this capability (program.core.capabilities).
    capability: str
    # The navigation entry whose label carries this queue's count.
    nav: str
    rows: Callable[[Any], QuerySet[Any]]  # the user's rows, in the order they are worked
    item: Callable[[Any], QueueItem]
    # The full list (a page with its filters set); empty when the home page is the list.
    more_url: Callable[[], str] = lambda: ""

    @property
    def roles(self) -> frozenset[str]:
        return roles_with(self.capability)

    def applies_to(self, roles: frozenset[str]) -> bool:
        return holds(roles, self.capability)


@cache
def all_queues() -> tuple[WorkQueue, ...]:
    return tuple(q for dotted in settings.WORK_QUEUES for q in import_string(dotted))


# Other header counts that ride on the same query (the unread notifications): key -> (capability,
# rows of the user, the value already loaded with the user or None). Registered by their app's
# AppConfig.ready().
_EXTRA: dict[
    str,
    tuple[str, Callable[[Any], QuerySet[Any]], Callable[[Any], int | None]],
] = {}


def _not_loaded(user: Any) -> int | None:
    return None


def extra_counts(
    key: str,
    capability: str,
    rows: Callable[[Any], QuerySet[Any]],
    loaded: Callable[[Any], int | None] = _not_loaded,
) -> None:
    _EXTRA[key] = (capability, rows, loaded)


def queues_for(roles: frozenset[str]) -> list[WorkQueue]:
    return [queue for queue in all_queues() if queue.applies_to(roles)]


def _count(queryset: QuerySet[Any]) -> Coalesce:
    # COUNT(*) as a scalar subquery: a plain function (not an aggregate) adds no GROUP BY.
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def counts_for(user: Any, roles: frozenset[str]) -> dict[str, int]:
    """Every count the header shows for this user, by key, in one query (none if no count
    applies to the user's roles, or only counts already loaded with the user)."""
    wanted: dict[str, QuerySet[Any]] = {queue.key: queue.rows(user) for queue in queues_for(roles)}
    known: dict[str, int] = {}
    for key, (capability, rows, loaded) in _EXTRA.items():
        if holds(roles, capability):
            value = loaded(user)
            if value is None:
                wanted[key] = rows(user)
            else:
                known[key] = value
    if not wanted:
        return known
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(**{key: _count(queryset) for key, queryset in wanted.items()})
        .first()
    )
    if row is None:
        return dict.fromkeys(wanted, 0) | known
    return {key: int(str(value)) for key, value in row.items()} | known


def request_counts(request: HttpRequest) -> dict[str, int]:
    """The header counts of the request's user, taken once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Kept on the request, for the user it was taken for.
    cached: tuple[Any, dict[str, int]] | None = getattr(request, "_header_counts", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, counts_for(user, user_roles(user)))
        setattr(request, "_header_counts", cached)  # noqa: B010
    return cached[1]


def nav_counts(request: HttpRequest) -> dict[str, int]:
    """Per navigation entry, how many things wait for the user there (only entries with some)."""
    counts = request_counts(request)
    by_nav: dict[str, int] = {}
    for queue in all_queues():
        if counts.get(queue.key):
            by_nav[queue.nav] = by_nav.get(queue.nav, 0) + counts[queue.key]
    return by_nav


def home_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    """The home page's "Waiting for you" panel: each of the user's queues with its count and
    first rows."""
    queues = queues_for(roles)
    if not queues:
        return None
    counts = request_counts(request)
    sections = []
    for queue in queues:
        count = counts.get(queue.key, 0)
        rows = list(queue.rows(request.user)[:HOME_ROWS]) if count else []
        sections.append(
            {
                "key": queue.key,
                "label": queue.label,
                "empty": queue.empty,
                "count": count,
                "items": [queue.item(row) for row in rows],
                # The queue's own list, when it has one and there is something in it.
                "more_url": queue.more_url() if count else "",
            }
        )
    return {"template": "core/panels/work_queues.html", "sections": sections}


def api_queues(request: HttpRequest) -> list[dict[str, Any]]:
    """The API twin of the home page's panel: each of the user's queues with its count, and up
    to API_ROWS of its items with their web page and API resource (one query for the counts,
    then one per queue that has something in it)."""
    counts = request_counts(request)
    body = []
    for queue in queues_for(user_roles(request.user)):
        count = counts.get(queue.key, 0)
        rows = list(queue.rows(request.user)[:API_ROWS]) if count else []
        more = queue.more_url() if count else ""
        body.append(
            {
                "key": queue.key,
                "label": str(queue.label),
                "count": count,
                "web_url": more or reverse("home"),
                "items": [
                    {
                        "id": row.pk,
                        "text": item.text,
                        "detail": item.detail,
                        "urgent": item.urgent,
                        "web_url": item.url,
                        "api_url": item.api_url,
                    }
                    for row, item in ((row, queue.item(row)) for row in rows)
                ],
                "truncated": count > len(rows),
            }
        )
    return body
