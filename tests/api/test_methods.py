"""A method an address does not have is a 405 with an Allow header, for every role; the header,
the route policy and the schema agree on what each address has."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from program.core.policy import ROUTES, access_for, is_api
from program.core.roles import Role

METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]


def _api_routes() -> list[tuple[str, str]]:
    routes = []
    for name in sorted(ROUTES):
        if not is_api(name):
            continue
        try:
            routes.append((name, reverse(name)))
        except NoReverseMatch:
            routes.append((name, reverse(name, kwargs={"pk": 1})))
    return routes


def _send(client: Client, method: str, url: str) -> Any:
    return client.generic(method, url, b"{}", content_type="application/json")


@pytest.fixture
def every_role(make_user) -> Client:
    client = Client()
    client.force_login(make_user("all-roles", *Role.values))
    return client


@pytest.mark.django_db
def test_a_method_the_route_lacks_is_405_with_allow_not_403(every_role) -> None:
    wrong = []
    for name, url in _api_routes():
        policy = access_for(name)
        assert policy is not None
        for method in METHODS:
            response = _send(every_role, method, url)
            allow = {m.strip() for m in response["Allow"].split(",") if m.strip()}
            if not allow <= policy.methods:
                wrong.append(f"{method} {url}: Allow {sorted(allow)} beyond the policy")
            if method not in allow and response.status_code != 405:
                wrong.append(f"{method} {url}: {response.status_code}, not 405")
            if method in allow and response.status_code == 405:
                wrong.append(f"{method} {url}: 405 although Allow lists it")
            # (The schema's own address answers in the schema's formats, YAML by default.)
            if response.status_code == 405 and method != "HEAD" and name != "api:schema":
                assert response.json()["error"]["code"] == "method_not_allowed"
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_405_comes_before_the_role_check(stranger, finance_officer) -> None:
    # Neither may read cells; still, POST is not a method of the list for anyone.
    for client in (stranger, finance_officer):
        response = client.post("/api/v1/cells/", {}, content_type="application/json")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert finance_officer.get("/api/v1/cells/").status_code == 403


@pytest.mark.django_db
def test_an_action_address_allows_post_only(occupancy_admin) -> None:
    response = occupancy_admin.get("/api/v1/placements/admit/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.django_db
def test_not_signed_in_is_still_401(client) -> None:
    assert client.delete("/api/v1/cells/").status_code == 401


@pytest.mark.django_db
def test_allow_matches_the_schema(every_role) -> None:
    paths = json.loads(every_role.get("/api/schema/?format=json").content)["paths"]
    for name, url in _api_routes():
        if name == "api:schema":
            continue
        template = next(path for path in paths if _same_route(path, url))
        documented = {method.upper() for method in paths[template]}
        if "GET" in documented:
            documented.add("HEAD")
        policy = access_for(name)
        assert policy is not None
        if "OPTIONS" in policy.methods:
            documented.add("OPTIONS")
        allow = every_role.options(url)["Allow"]
        assert {m.strip() for m in allow.split(",")} == documented, url


def _same_route(path: str, url: str) -> bool:
    return path.replace("{id}", "1").replace("{pk}", "1") == url
