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
        "handover:list",
        _("Handovers"),
        _("Risk and safety alerts of the people on a transport, and what to do."),
        "/handovers",
    ),
    NavItem(
        "inmates:list",
        _("Inmates"),
        _("Search the registry; judgments, expulsion orders and who must be kept apart."),
        "/inmates",
    ),
    NavItem(
        "host:roll",
        _("Host facility"),
        _("Today's roll, expected arrivals, the check-in at the gate and the daily headcount."),
        "/host",
    ),
    NavItem(
        "host:overview",
        _("Facility overview"),
        _("Headcounts confirmed per day and the differences from the roll."),
        "/host/overview",
    ),
    NavItem(
        "incidents:list",
        _("Incidents"),
        _("Incidents at the host facility, their review by the governor and who was told."),
        "/incidents",
    ),
    NavItem(
        "complaints:list",
        _("Complaints"),
        _("Inmates' complaints and requests to the Danish authorities and the Ombudsman."),
        "/complaints",
    ),
    NavItem(
        "complaints:receipts",
        _("Complaints received"),
        _("Record that an inmate handed in a complaint or a sealed letter."),
        "/complaints/received",
    ),
    NavItem(
        "visits:list",
        _("Visits"),
        _("Family visits and video calls: requests, the facility's schedule and outcomes."),
        "/visits",
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
        "inspections:list",
        _("Inspections"),
        _("Visits by the Ombudsman, the CPT and others: findings and the actions promised."),
        "/inspections",
    ),
    NavItem(
        "reports:programme",
        _("Programme report"),
        _("The figures for the Folketing and the Ministry, by quarter and by year."),
        "/reports",
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
