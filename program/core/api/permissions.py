"""The API half of the route policy (program/core/policy.py)."""

import logging
from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module while it loads its settings
    from rest_framework.views import APIView

from program.core.policy import access_for
from program.core.roles import role_labels, user_roles

logger = logging.getLogger(__name__)


class RoutePolicyPermission(BasePermission):
    """Authenticated, and holding a role that the policy allows for this route and method."""

    message = "Your role does not give access to this endpoint."

    def has_permission(self, request: Request, view: "APIView") -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        match = request.resolver_match
        access = access_for(match.view_name if match else "")
        if access is None:
            logger.error(
                "API route %s is not in the route policy; refused.", match and match.view_name
            )
            return False
        if not access.allows_method(request.method or "GET"):
            self.message = f"{request.method} is not allowed on this endpoint."
            return False
        method = request.method or "GET"
        if not access.admits(user_roles(request.user), signed_in=True, method=method):
            self.message = "This endpoint needs one of these roles: " + ", ".join(
                role_labels(access.roles_for(method))
            )
            return False
        return True
