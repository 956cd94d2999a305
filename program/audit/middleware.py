"""Carry the acting user, the request id and the route into every history row of a request."""

from collections.abc import Callable
from typing import Any

import pghistory
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from pghistory.middleware import HistoryMiddleware

from program.core.request_id import current_request_id


def _user_context(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "username": ""}
    return {"user": user.pk, "username": user.get_username()}


class _AuditedWSGIRequest(WSGIRequest):
    """DRF authenticates inside the view (token users appear late): when it sets `user` on the
    Django request, update the history context with the user it found."""

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr == "user":
            pghistory.context(**_user_context(value))
        super().__setattr__(attr, value)


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's HistoryMiddleware with the user name, request id and route name added.

    Goes last in MIDDLEWARE: after RequestIdMiddleware and AuthenticationMiddleware, and after
    RoutePolicyMiddleware, whose role check has loaded the user by the time process_view runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)  # type: ignore[no-untyped-call]  # pghistory has no types

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        # The user is added in process_view, once the route policy has loaded it: loading it
        # here would cost queries on public pages and token-authenticated API calls.
        return {
            "user": None,
            "username": "",
            "request_id": current_request_id(),
            "method": request.method,
            "url": request.path,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with pghistory.context(**self.get_context(request)):
            if type(request) is WSGIRequest:
                request.__class__ = _AuditedWSGIRequest
            response: HttpResponse = self.get_response(request)
            return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        metadata: dict[str, Any] = {"route": match.view_name if match else ""}
        if (
            "_cached_user" in request.__dict__
        ):  # already loaded by AuthenticationMiddleware's lazy user
            metadata.update(_user_context(request.user))
        pghistory.context(**metadata)
