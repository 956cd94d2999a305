"""A page shows a form, a button or a link only to a role that may use it.

Every page of the route policy is opened as every role that may read it, on a seeded programme;
each POST form on it must post to a route the role may write to, and each link to a page of the
app must lead to one the role may open. Otherwise the role fills in a form whose submit is
refused, or follows a link to a refusal.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from program.core.policy import ROUTES, access_for, is_api
from program.core.roles import Role, user_roles
from tests.hostile.conftest import Programme
from tests.hostile.test_hostile_input import PAGE_ARGS, _url

ROLES = [
    Role.CASEWORKER,
    Role.OCCUPANCY_ADMIN,
    Role.FINANCE_OFFICER,
    Role.FINANCE_APPROVER,
    Role.AUDITOR,
]


class _Targets(HTMLParser):
    """The actions of the page's POST forms and the addresses of its links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self.forms.append(values.get("action", ""))
        elif tag == "a" and values.get("href", "").startswith("/"):
            self.links.append(values["href"])
        elif tag in {"button", "input"} and values.get("formaction"):
            self.forms.append(values["formaction"])
        for attribute in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if values.get(attribute):  # htmx buttons and forms write too
                self.forms.append(values[attribute])


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


@pytest.fixture
def clients(persona) -> dict[str, Client]:
    return {str(role): persona(str(role)) for role in ROLES}


def _pages(programme: Programme) -> list[tuple[str, str]]:
    pages = []
    for name, access in sorted(ROUTES.items()):
        if is_api(name) or "GET" not in access.methods or access.public:
            continue
        if name in PAGE_ARGS:
            pages += [(name, _reverse(name, programme, row)) for row in PAGE_ARGS[name]]
            continue
        try:
            pages.append((name, _url(name, programme, {})))
        except NoReverseMatch:
            continue  # a page whose row is not seeded is not read
    return pages


def _reverse(name: str, programme: Programme, row: str) -> str:
    return reverse(name, args=[getattr(programme, row)])


@pytest.mark.django_db
def test_no_page_offers_a_role_what_it_may_not_use(clients, programme: Programme) -> None:
    offered: list[str] = []
    opened = 0
    for name, url in _pages(programme):
        access = ROUTES[name]
        for role in ROLES:
            if role not in access.roles and not access.any_signed_in:
                continue
            client = clients[str(role)]
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            opened += 1
            roles = user_roles(response.wsgi_request.user)
            parser = _Targets()
            parser.feed(response.content.decode())
            for action in parser.forms:
                target = _route(action or url)
                rule = access_for(target) if target else None
                if rule is not None and not rule.admits(roles, signed_in=True, method="POST"):
                    offered.append(f"{role} on {name}: a form posting to {target}")
            for link in parser.links:
                target = _route(link)
                rule = access_for(target) if target else None
                if rule is not None and not rule.admits(roles, signed_in=True, method="GET"):
                    offered.append(f"{role} on {name}: a link to {target}")
    assert opened > 50
    assert sorted(set(offered)) == [], "\n".join(sorted(set(offered)))
