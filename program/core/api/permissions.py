"""The API half of the route policy (program/core/policy.py)."""

import logging
from typing import TYPE_CHECKING

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module while it loads its settings
    from rest_framework.views import APIView

from program.core.policy import access_for
from program.core.roles import role_labels, user_roles

logger = logging.getLogger(__name__)


def allowed_methods(view: "APIView", policy_methods: frozenset[str]) -> list[str]:
    """The methods a route has: those its view answers that the route policy also lists."""
    return [method for method in view.allowed_methods if method in policy_methods]


class RoutePolicyPermission(BasePermission):
    """Authenticated, a method the route has, and a role the policy allows for that method.

    DRF checks permissions before it looks for the view's handler, so a method the route does
    not have would otherwise be refused as a matter of role (403). It is answered here instead:
    405 with an `Allow` header listing what the route does have, the same for every role, since
    no role could use it. A client that is not signed in hears 401 first and learns nothing.
    """

    message = "Your role does not give access to this endpoint."

    def has_permission(self, request: Request, view: "APIView") -> bool:
        match = request.resolver_match
        access = access_for(match.view_name if match else "")
        allowed = allowed_methods(view, access.methods) if access else []
        # DRF fills "Allow" with every handler the view has and writes view.headers into the
        # response after this check and after the exception handler: say what the route has.
        if isinstance(getattr(view, "headers", None), dict):
            view.headers["Allow"] = ", ".join(allowed)
        if not request.user or not request.user.is_authenticated:
            return False
        if access is None:
            logger.error(
                "API route %s is not in the route policy; refused.", match and match.view_name
            )
            return False
        method = (request.method or "GET").upper()
        if method not in allowed:
            raise MethodNotAllowed(
                method,
                detail=f"{method} is not a method of this address; it answers "
                + ", ".join(allowed)
                + ".",
            )
        if not access.admits(user_roles(request.user), signed_in=True, method=method):
            self.message = "This endpoint needs one of these roles: " + ", ".join(
                role_labels(access.roles_for(method))
            )
            return False
        return True
