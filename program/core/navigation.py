"""The main navigation. An entry is shown to a user exactly when the route policy lets them in."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from program.core.policy import allows


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    description: str | Promise
    # Sections whose URLs start with this prefix mark the entry as current.
    path_prefix: str

    def visible_to(self, roles: frozenset[str]) -> bool:
        return allows(self.url_name, roles)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Home"), _("Your start page."), "/"),
    NavItem(
        "transfers:worklist",
        _("Transfer cases"),
        _("Your cases, eligibility, documents and transports."),
        "/cases",
    ),
    NavItem(
        "inmates:list",
        _("Inmates"),
        _("Search the registry; judgments, expulsion orders and who must be kept apart."),
        "/inmates",
    ),
    NavItem(
        "cells:occupancy",
        _("Occupancy"),
        _("Today's roll, occupancy over time against what is paid for, and the forecast."),
        "/programme/occupancy",
    ),
    NavItem(
        "cells:agreement-list",
        _("Programmes"),
        _("Agreements, their terms, capacity and ramp-up."),
        "/programme/agreements",
    ),
    NavItem(
        "cells:facility-list",
        _("Facilities"),
        _("Units, cells and the places they hold under the CPT standards."),
        "/programme/facilities",
    ),
    NavItem(
        "finance:dashboard",
        _("Finance"),
        _("The payment schedule, its tranches, and planned against paid by year."),
        "/finance",
    ),
    NavItem(
        "audit:access-log",
        _("Access log"),
        _("Who looked at whose record, when and why; a person's access report."),
        "/audit",
    ),
    NavItem(
        "system-status",
        _("System status"),
        _("Database, broker and the last run of the background worker."),
        "/system",
    ),
    NavItem("api-docs", _("API"), _("The REST API and its documentation."), "/api"),
    NavItem("admin:index", _("Administration"), _("Users, roles and reference data."), "/admin"),
)


def _exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def navigation_for(roles: frozenset[str]) -> list[NavItem]:
    # tests/core/test_navigation.py proves every entry resolves, so none is hidden by accident.
    return [item for item in NAVIGATION if item.visible_to(roles) and _exists(item.url_name)]
