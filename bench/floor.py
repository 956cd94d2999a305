"""The floor: a signed-in page that renders only the base template, measured in the same run.

Every page pays the same fixed cost before it fetches a row of its own: the middleware, the
session, the user with its roles and second-factor device, the header's counts and the base
template. The floor is that cost alone, so each page's budget is stated above it.

The route exists only in the benchmark's process (and the tests that pin the fixed cost): it is
added to the URLconf and to the route policy at run time, open to every signed-in user, and it
goes through the whole middleware stack like any page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import clear_url_caches, path

FLOOR_NAME = "bench-floor"
FLOOR_URL = "/bench-floor/"


def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


def install_floor() -> None:
    """Add the floor's route to the app's URLconf and the route policy (idempotent)."""
    from program import urls
    from program.core import policy

    policy.ROUTES.setdefault(FLOOR_NAME, policy.Access(any_signed_in=True))
    if not any(getattr(p, "name", None) == FLOOR_NAME for p in urls.urlpatterns):
        urls.urlpatterns.insert(0, path(FLOOR_URL.strip("/") + "/", floor, name=FLOOR_NAME))
        clear_url_caches()


def uninstall_floor() -> None:
    """Take the floor's route out again (the tests that pin the fixed cost)."""
    from program import urls
    from program.core import policy

    policy.ROUTES.pop(FLOOR_NAME, None)
    urls.urlpatterns[:] = [p for p in urls.urlpatterns if getattr(p, "name", None) != FLOOR_NAME]
    clear_url_caches()
