"""Builders for the inspection tests: an inspection at a facility with a finding and actions,
written through the services as the governor would."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from program.cells.models import Facility
from program.core.roles import Role
from program.inspections import services
from program.inspections.models import Finding, FindingAction, Inspection, InspectionBody
from tests.factories import FacilityFactory, UnitFactory

VISIT = date(2026, 9, 14)


def person(username: str, role: str = Role.GOVERNOR) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


def body(short: str = "CPT") -> InspectionBody:
    found, _ = InspectionBody.objects.get_or_create(
        short_name=short, defaults={"name": f"{short} (test)"}
    )
    return found


def inspection(facility: Facility | None = None, **values: Any) -> Inspection:
    values.setdefault("kind", Inspection.Kind.ANNOUNCED)
    values.setdefault("starts_on", VISIT)
    values.setdefault("ends_on", VISIT.replace(day=VISIT.day + 2))
    return services.inspection_record(
        body=body(),
        facility=facility or FacilityFactory(),
        actor=person("gunnar"),
        **values,
    )


def finding(at: Inspection | None = None, title: str = "Too little time out of cell") -> Finding:
    at = at or inspection()
    return services.finding_record(
        inspection=at,
        title=title,
        text="Less than two hours a day outside the cell.",
        severity=Finding.Severity.HIGH,
        concerns=Finding.Concerns.UNIT,
        unit=UnitFactory(facility=at.facility),
        actor=person("gunnar"),
    )


def action(
    on: Finding, title: str = "Daily activity plan", deadline: date | None = None
) -> FindingAction:
    return services.action_add(
        finding=on,
        title=title,
        owner="The facility's director",
        deadline=deadline or date(2026, 11, 1),
        actor=person("gunnar"),
    )


def done(row: FindingAction, by: str = "gunnar") -> FindingAction:
    return services.action_update(
        action=row,
        status=FindingAction.Status.DONE,
        done_on=date(2026, 10, 30),
        evidence="Work order 4411",
        actor=person(by),
    )
