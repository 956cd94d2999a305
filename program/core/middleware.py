"""Request id for log correlation, and the page half of the route policy."""

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from program.core.policy import access_for, is_api
from program.core.request_id import reset_request_id, set_request_id
from program.core.roles import role_labels, user_roles
from program.core.view_middleware import ViewMiddleware
from program.core.views import permission_denied

logger = logging.getLogger(__name__)

# What a proxy's request id may look like: a UUID, or nginx's and most proxies' hex or base64url
# ids. Nothing else reaches the logs or the access log, which keeps it forever.
_VALID_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}", re.ASCII)


def _from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request came straight from a proxy of our own (REQUEST_ID_TRUSTED_PROXIES,
    addresses or networks), which sets X-Request-ID itself, replacing any a client sent."""
    trusted = settings.REQUEST_ID_TRUSTED_PROXIES
    if not trusted:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(network, strict=False) for network in trusted)


def incoming_request_id(request: HttpRequest) -> str | None:
    """The proxy's id for this request, when one may be taken; None otherwise.

    A client's own X-Request-ID is never taken: it would be written as the client chose it into
    every log line and into the append-only access log, where it could impersonate another
    request's id or carry anything at all.
    """
    if not _from_trusted_proxy(request):
        return None
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _VALID_INCOMING_ID.fullmatch(incoming) else None


class RequestIdMiddleware:
    """Give each request an id (or take the trusted proxy's well-formed one) and echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RoutePolicyMiddleware(ViewMiddleware):
    """Refuse a page unless the route policy lets this user's role in with this method.

    API routes are left to RoutePolicyPermission, because token authentication happens inside DRF.
    """

    def check(self, request: HttpRequest, view_name: str) -> HttpResponse | None:
        if is_api(view_name):
            return None
        access = access_for(view_name)
        if access is None:
            logger.error("Route %s is not in the route policy; refused.", view_name)
            return permission_denied(
                request, PermissionDenied(_("This page is not open to any role."))
            )
        if access.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.allows_method(request.method or "GET"):
            return HttpResponseNotAllowed(sorted(access.methods))
        method = request.method or "GET"
        if not access.admits(user_roles(request.user), signed_in=True, method=method):
            needed = access.roles_for(method)
            request.required_roles = role_labels(needed)  # type: ignore[attr-defined]
            logger.warning("Refused %s %s: role not allowed.", request.method, view_name)
            return permission_denied(
                request, PermissionDenied(_("Your role does not give access to this page."))
            )
        return None


class NoStoreForSignedInMiddleware:
    """Keep every response to a signed-in user (session or API token) out of every cache.

    Pages here show conviction, medical and payment data; a shared or back-button cache must not
    hold them after the user has gone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read after the view: DRF sets request.user for token-authenticated API requests.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response
