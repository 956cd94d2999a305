import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from program.core import selectors
from program.core.errors import database_unreachable
from program.core.navigation import navigation_for
from program.core.roles import user_roles
from program.core.security_log import security_event
from program.core.sessions import user_sessions_end
from program.core.tasks import HEARTBEAT


def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    panels = []
    # Each app contributes its own home panel (settings.HOME_PANELS), so core imports no app.
    for dotted in settings.HOME_PANELS:
        panel = import_string(dotted)(request, roles)
        if panel is not None:
            panels.append(panel)
    sections = [item for item in navigation_for(roles) if item.url_name != "home"]
    return render(request, "core/home.html", {"panels": panels, "sections": sections})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """No log-in and no data: which dependency is down, if any."""
    checks = [selectors.database_check(), selectors.broker_check()]
    failing = [check.name for check in checks if not check.ok]
    body: dict[str, Any] = {"status": "ok" if not failing else "unavailable"}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def system_status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/system_status.html",
        {
            "checks": [selectors.database_check(), selectors.broker_check()],
            "heartbeats": selectors.heartbeats(),
            "heartbeat_name": HEARTBEAT,
        },
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    required = getattr(request, "required_roles", [])
    message = str(exception) if exception and str(exception) else ""
    security_event(
        "access_refused", request=request, level=logging.WARNING, required_roles=required
    )
    if _wants_json(request):
        return _json_error("permission_denied", message or "Access refused.", 403)
    return render(request, "403.html", {"required_roles": required, "message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return _json_error("not_found", "Not found.", 404)
    return render(request, "404.html", status=404)


# Seconds a client is told to wait before trying again while the database is out of reach.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    # Called by Django inside its handler for the unhandled error, so the error is at hand.
    if database_unreachable(sys.exc_info()[1]):
        return _database_unavailable(request)
    if _wants_json(request):
        return _json_error(
            "server_error", "Something went wrong on our side; it has been logged.", 500
        )
    # No request context: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After while the database restarts: a clean page, no trace and no SQL."""
    response: HttpResponse
    if _wants_json(request):
        response = _json_error(
            "unavailable", "The service is briefly unavailable; try again in a few seconds.", 503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SignOutEverywhereView(auth_views.LogoutView):
    """Signing out ends every session of the user, on every device, not only this one."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            user_sessions_end(user=request.user)
        return super().post(request, *args, **kwargs)
