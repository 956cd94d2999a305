"""Demo inspections of Gjilan: a CPT visit and an unannounced visit by the Danish Ombudsman (the
national preventive mechanism), with findings about a unit, a cell, a person and practices, and
their promised actions (one past its deadline, one done). Finance's demo then makes the
Ombudsman's finding on the children's visiting room a condition of the July 2027 rent tranche
(finance/demo.py, load_finding_condition), so the tranche waits for it. Idempotent: each row is
looked up first."""

from datetime import date
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from program.cells.demo import FACILITY_NAME
from program.cells.models import Cell, Facility, Placement, Unit
from program.core.demo import register
from program.core.roles import Role
from program.inspections import services
from program.inspections.models import Finding, FindingAction, Inspection, InspectionBody

BODIES = [
    ("CPT", "European Committee for the Prevention of Torture (CPT)"),
    ("Ombudsmand", "Folketingets Ombudsmand, national preventive mechanism"),
    ("Avokati i Popullit", "Kosovo Ombudsperson Institution (Avokati i Popullit)"),
]
# The finding finance's demo makes a condition of a rent tranche.
CONDITION_FINDING = "The visiting room for children gives no privacy"
REPORT = b"%PDF-1.4\n% Demo report of the Ombudsman's visit to Gjilan (fictional)\n%%EOF\n"


def _inspection(
    body: str, facility: Facility, kind: str, starts: date, ends: date, actor: Any, **extra: Any
) -> Inspection:
    found = Inspection.objects.filter(
        body__short_name=body, facility=facility, starts_on=starts
    ).first()
    if found is not None:
        return found
    return services.inspection_record(
        body=InspectionBody.objects.get(short_name=body),
        facility=facility,
        kind=kind,
        starts_on=starts,
        ends_on=ends,
        actor=actor,
        **extra,
    )


def _finding(inspection: Inspection, title: str, actor: Any, **values: Any) -> Finding:
    found = Finding.objects.filter(inspection=inspection, title=title).first()
    if found is not None:
        return found
    return services.finding_record(inspection=inspection, title=title, actor=actor, **values)


def _action(finding: Finding, title: str, owner: str, deadline: date, actor: Any) -> FindingAction:
    found = FindingAction.objects.filter(finding=finding, title=title).first()
    if found is not None:
        return found
    return services.action_add(
        finding=finding, title=title, owner=owner, deadline=deadline, actor=actor
    )


@register(order=115)  # after the demo users (1) and the payment schedule (110)
def load(out: TextIO) -> None:
    for short, name in BODIES:
        InspectionBody.objects.get_or_create(short_name=short, defaults={"name": name})
    users = get_user_model().objects
    governor = users.get(username=Role.GOVERNOR.value)
    facility = Facility.objects.get(name=FACILITY_NAME)
    director = "Director of Gjilan prison (Kosovo Correctional Service)"
    danish_governor = "The Danish governor of Gjilan prison"

    cpt = _inspection(
        "CPT",
        facility,
        Inspection.Kind.ANNOUNCED,
        date(2026, 9, 14),
        date(2026, 9, 18),
        governor,
        reference="CPT/Inf (2026) demo",
    )
    unit_c = Unit.objects.get(facility=facility, code="C")
    time_out = _finding(
        cpt,
        "Too little time out of cell in unit C",
        governor,
        text="Prisoners in unit C were offered less than two hours a day outside their cells, "
        "with little purposeful activity (fictional demo finding).",
        severity=Finding.Severity.HIGH,
        concerns=Finding.Concerns.UNIT,
        unit=unit_c,
    )
    _action(
        time_out,
        "Daily activity plan of eight hours for unit C",
        director,
        date(2026, 11, 1),
        governor,
    )
    window = _finding(
        cpt,
        "Cell window cannot be opened",
        governor,
        text="The window of cell C-112 could not be opened; the cell lacked fresh air "
        "(fictional demo finding).",
        severity=Finding.Severity.MEDIUM,
        concerns=Finding.Concerns.CELL,
        cell=Cell.objects.get(unit__facility=facility, number="C-112"),
    )
    repair = _action(
        window, "Repair the window of cell C-112", director, date(2026, 10, 15), governor
    )
    if repair.is_pending:
        services.action_update(
            action=repair,
            status=FindingAction.Status.DONE,
            done_on=date(2026, 10, 12),
            evidence="Work order KCS-2026-4411, inspected by the Danish governor (demo)",
            actor=governor,
        )
    screening = _finding(
        cpt,
        "Medical screening on arrival later than 24 hours",
        governor,
        text="Newly arrived prisoners were seen by a doctor two to four days after arrival "
        "(fictional demo finding).",
        severity=Finding.Severity.HIGH,
        concerns=Finding.Concerns.PRACTICE,
        practice="Medical screening of new arrivals",
    )
    _action(
        screening,
        "Screening by a nurse on the day of arrival",
        danish_governor,
        date(2027, 1, 31),
        governor,
    )

    ombudsman = _inspection(
        "Ombudsmand",
        facility,
        Inspection.Kind.UNANNOUNCED,
        date(2026, 10, 20),
        date(2026, 10, 21),
        governor,
        reference="OPCAT 2026-17 (demo)",
        published_on=date(2026, 11, 10),
        report=SimpleUploadedFile("report.pdf", REPORT, content_type="application/pdf"),
    )
    visiting = _finding(
        ombudsman,
        CONDITION_FINDING,
        governor,
        text="Children visiting a parent meet in the general visiting hall, in view of other "
        "prisoners (fictional demo finding).",
        severity=Finding.Severity.MEDIUM,
        concerns=Finding.Concerns.PRACTICE,
        practice="Visits by children",
    )
    _action(
        visiting,
        "Furnish a separate room for children's visits",
        director,
        date(2027, 3, 1),
        governor,
    )
    placed = (
        Placement.objects.filter(place__cell__unit__facility=facility, kind="placement")
        .order_by("pk")
        .values_list("inmate_id", flat=True)
        .first()
    )
    if placed is not None:
        from program.inmates.models import Inmate

        hearing = _finding(
            ombudsman,
            "No interpreter at a disciplinary hearing",
            governor,
            text="A prisoner who speaks neither Albanian nor English was heard in a "
            "disciplinary case without an interpreter (fictional demo finding).",
            severity=Finding.Severity.HIGH,
            concerns=Finding.Concerns.PERSON,
            person=Inmate.objects.get(pk=placed),
        )
        _action(
            hearing,
            "Hear the case again with an interpreter",
            danish_governor,
            date(2026, 11, 20),
            governor,
        )
    out.write(
        f"Inspections: {Inspection.objects.count()} with {Finding.objects.count()} findings and "
        f"{FindingAction.objects.count()} promised actions\n"
    )
