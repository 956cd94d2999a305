"""Every GET route, as each role: CSP, framing, referrer and no-store on signed-in responses."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from program.core.policy import ROUTES
from tests.core.test_route_policy import PERSONAS, route_args  # noqa: F401

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
# Swagger UI's page keeps the policy but for inline styles (its small <style> block).
STYLE_INLINE = {"api-docs"}


def _get_routes(route_args: dict[str, list[object]]) -> list[tuple[str, str]]:  # noqa: F811
    """The route walk of tests/core/test_route_policy.py, every GET route in the policy.

    A route whose arguments that walk does not yet provide (a route still being built) cannot be
    reversed; it is left out here and the route-policy test names it.
    """
    urls = []
    for name, access in sorted(ROUTES.items()):
        if name == "logout" or "GET" not in access.methods:
            continue
        try:
            urls.append((name, reverse(name, args=route_args.get(name, []))))
        except NoReverseMatch:
            continue
    return urls


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


def _check(name: str, response, *, signed_in: bool) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    expected = _directives(POLICY)
    if name in STYLE_INLINE and response.status_code == 200:
        expected = {
            d if not d.startswith("style-src") else f"{d} 'unsafe-inline'" for d in expected
        }
    if _directives(csp) != expected:
        problems.append(f"{name}: CSP {response.get('Content-Security-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"{name}: X-Frame-Options {response.get('X-Frame-Options')!r}")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"{name}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if signed_in and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{name}: Cache-Control {response.get('Cache-Control')!r}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("who", PERSONAS)
def test_every_route_sends_the_security_headers(who, persona, route_args) -> None:  # noqa: F811
    client = persona(who)
    problems: list[str] = []
    routes = _get_routes(route_args)
    for name, url in routes:
        problems += _check(name, client.get(url), signed_in=True)
    assert len(routes) > 50
    assert problems == []


@pytest.mark.django_db
def test_anonymous_responses_send_the_headers_too(route_args) -> None:  # noqa: F811
    client = Client()
    problems: list[str] = []
    for name, url in _get_routes(route_args):
        problems += _check(name, client.get(url), signed_in=False)
    assert problems == []


@pytest.mark.django_db
def test_an_api_token_response_is_not_stored(make_user) -> None:
    from tests.api_tokens import token_for

    key = token_for(make_user("carla"))
    response = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_template_route_needs_an_inline_script(caseworker) -> None:
    body = caseworker.get(reverse("home")).content.decode()
    assert "<script>" not in body
    assert " style=" not in body
