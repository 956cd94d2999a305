"""Who a view acts for: the one way a page or API view names its signed-in user to a service."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request


def acting_user(request: HttpRequest | Request) -> User:
    """The signed-in user of the request. The route policy lets only signed-in users reach a
    route that acts, so an anonymous user here is a wiring mistake: refused, never acted for."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
