"""The shape of a middleware that decides from the resolved route, before the view runs.

Django calls `process_view` once the URL is resolved; the route policy, the second-factor hold
and the form-field check each answer there (a response ends the request, None lets it on), and
only need the request and the route's name.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse


class ViewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        return self.check(request, match.view_name if match else "")

    def check(self, request: HttpRequest, view_name: str) -> HttpResponse | None:
        """A response to send instead of running the view, or None to run it."""
        raise NotImplementedError
