import logging
import sys
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from program.core import language, selectors, services, work_queues
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
    return render(
        request,
        "core/home.html",
        {
            "panels": panels,
            "sections": sections,
            "waiting": work_queues.home_panel(request, roles),
        },
    )


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


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The header's language switch: the cookie for this device, and for a signed-in user their
    saved language too (not while the session still owes its second factor), then back to the
    page it was used on."""
    from program.core.second_factor import session_needs_verification

    back = request.POST.get("next", "")
    # A path on this site only: never another host, and never a name redirect() would look up.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    response = HttpResponseRedirect(back)
    chosen = language.offered(request.POST.get("language"))
    if chosen is None:
        messages.error(
            request,
            _("Choose one of the languages offered: %(offered)s.")
            % {"offered": ", ".join(code for code, _name in settings.LANGUAGES)},
        )
        return response
    if request.user.is_authenticated and not session_needs_verification(request):
        services.user_language_set(user=request.user, language=chosen)
    language.remember(request, chosen)
    return response


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
        return _json_error("permission_denied", message or _("Access refused."), 403)
    return render(request, "403.html", {"required_roles": required, "message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return _json_error("not_found", _("Not found."), 404)
    return render(request, "404.html", status=404)


def _bare_context(request: HttpRequest) -> dict[str, Any]:
    """What the 500 and 503 pages need for their language switch, and nothing that reads the
    database (no context processors): the database may be the thing that failed."""
    return {"csrf_token": get_token(request), "request": request}


# Seconds a client is told to wait before trying again while the database is out of reach.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    # Called by Django inside its handler for the unhandled error, so the error is at hand.
    if database_unreachable(sys.exc_info()[1]):
        return _database_unavailable(request)
    if _wants_json(request):
        return _json_error(
            "server_error", _("Something went wrong on our side; it has been logged."), 500
        )
    return HttpResponse(loader.get_template("500.html").render(_bare_context(request)), status=500)


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After while the database restarts: a clean page, no trace and no SQL."""
    response: HttpResponse
    if _wants_json(request):
        response = _json_error(
            "unavailable", _("The service is briefly unavailable; try again in a few seconds."), 503
        )
    else:
        response = HttpResponse(
            loader.get_template("503.html").render(_bare_context(request)), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SignOutEverywhereView(auth_views.LogoutView):
    """Signing out ends every session of the user, on every device, not only this one."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            user_sessions_end(user=request.user)
        return super().post(request, *args, **kwargs)
