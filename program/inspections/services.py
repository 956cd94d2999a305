"""Recording inspections, their findings and the actions promised, and moving those actions.

Each public service is one user action in one transaction; it checks the acting user's role (the
governor and the occupancy administrator write; docs/inspections.md), validates, and writes.
Changes to a row already read elsewhere are compare-and-set on its `version`: a caller that read
an older version is refused (412 over the API, a conflict on a page) instead of overwriting a
change it never saw. The write history (program/audit) records every insert and update.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells.models import Cell, Facility, Unit
from program.core.capabilities import can, roles_with
from program.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionRefusedError,
)
from program.core.uploads import document_check
from program.core.versioning import bump_version, lock_at_version, stale_saying
from program.inmates.models import Inmate
from program.inspections.models import Finding, FindingAction, Inspection, InspectionBody

# Who records inspections and findings and moves the actions (the route policy says the same).


class RoleRefusedError(PermissionRefusedError):
    pass


def _require_writer(actor: AbstractBaseUser | None) -> None:
    if not can(actor, "inspection.edit"):
        raise RoleRefusedError(
            _("Only the governor or an occupancy administrator may record inspections."),
            details={"roles": sorted(roles_with("inspection.edit"))},
        )


M = TypeVar("M", bound=models.Model)


def _lock(model: type[M], pk: int, expected_version: int | None, what: str) -> M:
    """Lock the row; with expected_version, refuse it if someone changed it since it was read."""
    return lock_at_version(
        model,
        pk,
        expected_version,
        missing=NotFoundError(_("The %(what)s no longer exists.") % {"what": what}),
        stale=stale_saying(
            _(
                "Someone changed this %(what)s after you opened it. Nothing was saved; reload "
                "it and try again."
            )
            % {"what": what}
        ),
    )


def _bump(row: Any, fields: list[str]) -> None:
    bump_version(row, fields=fields)
    row.refresh_from_db()


# --- Inspections ------------------------------------------------------------------------------


def _check_inspection(values: dict[str, Any]) -> None:
    if values["kind"] not in Inspection.Kind.values:
        raise ApplicationError(
            _("Choose whether the visit was announced or unannounced."), details={"kind": ""}
        )
    if values["ends_on"] < values["starts_on"]:
        raise ApplicationError(
            _("The last day of the visit is before its first day; give the days in order."),
            details={"ends_on": values["ends_on"].isoformat()},
        )
    published = values.get("published_on")
    if published is not None and published < values["starts_on"]:
        raise ApplicationError(
            _("The report cannot be published before the visit began (%(day)s).")
            % {"day": values["starts_on"].isoformat()},
            details={"published_on": published.isoformat()},
        )
    if published is not None and published > timezone.localdate():
        raise ApplicationError(
            _("The publication date is in the future; record it once the report is out."),
            details={"published_on": published.isoformat()},
        )


def _attach_report(inspection: Inspection, report: UploadedFile[bytes]) -> None:
    content_type = document_check(report, field="report")
    inspection.report.save("report", report, save=False)
    inspection.report_content_type = content_type


@transaction.atomic
def inspection_record(
    *,
    body: InspectionBody,
    facility: Facility,
    kind: str,
    starts_on: date,
    ends_on: date,
    actor: AbstractBaseUser,
    reference: str = "",
    published_on: date | None = None,
    report: UploadedFile[bytes] | None = None,
) -> Inspection:
    """Record a visit by an inspection body to a facility, with its report if it is out."""
    _require_writer(actor)
    values = {"kind": kind, "starts_on": starts_on, "ends_on": ends_on}
    _check_inspection({**values, "published_on": published_on})
    inspection = Inspection(
        body=body,
        facility=facility,
        reference=reference.strip(),
        published_on=published_on,
        recorded_by_id=actor.pk,
        **values,
    )
    if report is not None:
        _attach_report(inspection, report)
    inspection.save()
    return inspection


INSPECTION_FIELDS = (
    "body",
    "facility",
    "kind",
    "starts_on",
    "ends_on",
    "reference",
    "published_on",
)


@transaction.atomic
def inspection_edit(
    *,
    inspection: Inspection | int,
    values: dict[str, Any],
    actor: AbstractBaseUser,
    expected_version: int | None = None,
    report: UploadedFile[bytes] | None = None,
) -> Inspection:
    """Change what was recorded about a visit (any of INSPECTION_FIELDS), or add its report once
    it is published; a report given again replaces the earlier one (the history keeps both
    names)."""
    _require_writer(actor)
    pk = inspection if isinstance(inspection, int) else inspection.pk
    locked = _lock(Inspection, pk, expected_version, _("inspection"))
    unknown = set(values) - set(INSPECTION_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_inspection(
        {
            "kind": locked.kind,
            "starts_on": locked.starts_on,
            "ends_on": locked.ends_on,
            "published_on": locked.published_on,
        }
    )
    fields = list(values)
    if report is not None:
        _attach_report(locked, report)
        fields += ["report", "report_content_type"]
    _bump(locked, fields)
    return locked


# --- Findings ---------------------------------------------------------------------------------


def _concern_values(
    *,
    facility_id: int,
    concerns: str,
    unit: Unit | None,
    cell: Cell | None,
    person: Inmate | None,
    practice: str,
) -> dict[str, Any]:
    """The one link a finding's kind needs, checked against the inspected facility."""
    if concerns not in Finding.Concerns.values:
        raise ApplicationError(
            _("Say what the finding concerns: a unit, a cell, a person or a practice."),
            details={"concerns": concerns},
        )
    values: dict[str, Any] = {"unit": None, "cell": None, "person": None, "practice": ""}
    if concerns == Finding.Concerns.UNIT:
        if unit is None:
            raise ApplicationError(_("Choose the unit the finding is about."), details={"unit": ""})
        if unit.facility_id != facility_id:
            raise ApplicationError(
                _("Unit %(code)s is not at the inspected facility.") % {"code": unit.code},
                details={"unit": unit.pk},
            )
        values["unit"] = unit
    elif concerns == Finding.Concerns.CELL:
        if cell is None:
            raise ApplicationError(_("Choose the cell the finding is about."), details={"cell": ""})
        if cell.unit.facility_id != facility_id:
            raise ApplicationError(
                _("Cell %(number)s is not at the inspected facility.") % {"number": cell.number},
                details={"cell": cell.pk},
            )
        values["cell"] = cell
    elif concerns == Finding.Concerns.PERSON:
        if person is None:
            raise ApplicationError(
                _("Choose the person the finding is about."), details={"person": ""}
            )
        values["person"] = person
    else:
        if not practice.strip():
            raise ApplicationError(
                _("Describe the practice the finding is about."), details={"practice": ""}
            )
        values["practice"] = practice.strip()
    return values


def _check_finding_text(title: str, text: str, severity: str) -> None:
    if not title.strip():
        raise ApplicationError(_("Give the finding a short title."), details={"title": ""})
    if not text.strip():
        raise ApplicationError(_("Write what the inspection found."), details={"text": ""})
    if severity not in Finding.Severity.values:
        raise ApplicationError(
            _("Choose the severity: low, medium, high or critical."),
            details={"severity": severity},
        )


@transaction.atomic
def finding_record(
    *,
    inspection: Inspection | int,
    title: str,
    text: str,
    severity: str,
    concerns: str,
    actor: AbstractBaseUser,
    unit: Unit | None = None,
    cell: Cell | None = None,
    person: Inmate | None = None,
    practice: str = "",
) -> Finding:
    """Record one finding of an inspection and what it concerns (a unit or cell of the inspected
    facility, a person, or a practice)."""
    _require_writer(actor)
    pk = inspection if isinstance(inspection, int) else inspection.pk
    locked = _lock(Inspection, pk, None, _("inspection"))
    _check_finding_text(title, text, severity)
    links = _concern_values(
        facility_id=locked.facility_id,
        concerns=concerns,
        unit=unit,
        cell=cell,
        person=person,
        practice=practice,
    )
    return Finding.objects.create(
        inspection=locked,
        title=title.strip(),
        text=text.strip(),
        severity=severity,
        concerns=concerns,
        recorded_by_id=actor.pk,
        **links,
    )


@transaction.atomic
def finding_edit(
    *,
    finding: Finding | int,
    title: str,
    text: str,
    severity: str,
    concerns: str,
    actor: AbstractBaseUser,
    unit: Unit | None = None,
    cell: Cell | None = None,
    person: Inmate | None = None,
    practice: str = "",
    expected_version: int | None = None,
) -> Finding:
    """Correct a finding as recorded (its actions stay as they are)."""
    _require_writer(actor)
    pk = finding if isinstance(finding, int) else finding.pk
    locked = _lock(Finding, pk, expected_version, _("finding"))
    _check_finding_text(title, text, severity)
    links = _concern_values(
        facility_id=locked.inspection.facility_id,
        concerns=concerns,
        unit=unit,
        cell=cell,
        person=person,
        practice=practice,
    )
    locked.title, locked.text = title.strip(), text.strip()
    locked.severity, locked.concerns = severity, concerns
    for name, value in links.items():
        setattr(locked, name, value)
    _bump(locked, ["title", "text", "severity", "concerns", *links])
    return locked


# --- Promised actions -------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    finding: Finding | int,
    title: str,
    owner: str,
    deadline: date,
    actor: AbstractBaseUser,
) -> FindingAction:
    """Record an action promised on a finding: what, who answers for it, by when."""
    _require_writer(actor)
    pk = finding if isinstance(finding, int) else finding.pk
    locked = _lock(Finding, pk, None, _("finding"))
    if not title.strip():
        raise ApplicationError(_("Say what will be done."), details={"title": ""})
    if not owner.strip():
        raise ApplicationError(_("Say who answers for the action."), details={"owner": ""})
    if deadline < locked.inspection.starts_on:
        raise ApplicationError(
            _("The deadline is before the visit (%(day)s); give a later day.")
            % {"day": locked.inspection.starts_on.isoformat()},
            details={"deadline": deadline.isoformat()},
        )
    return FindingAction.objects.create(
        finding=locked, title=title.strip(), owner=owner.strip(), deadline=deadline
    )


# The moves an action may make; done and not accepted are final (a reopened promise is a new
# action, so what was reported as done stays on record).
_FINAL = (FindingAction.Status.DONE, FindingAction.Status.NOT_ACCEPTED)
ACTION_MOVES: dict[str, tuple[str, ...]] = {
    FindingAction.Status.OPEN: (FindingAction.Status.IN_PROGRESS, *_FINAL),
    FindingAction.Status.IN_PROGRESS: (FindingAction.Status.OPEN, *_FINAL),
}


@transaction.atomic
def action_update(
    *,
    action: FindingAction | int,
    status: str,
    actor: AbstractBaseUser,
    owner: str | None = None,
    deadline: date | None = None,
    done_on: date | None = None,
    evidence: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> FindingAction:
    """Move an action: open ↔ in progress; done (with its evidence and the day it was done);
    not accepted (with the reason). An action done or not accepted is final. The owner and the
    deadline of an action still pending may change with the move."""
    _require_writer(actor)
    pk = action if isinstance(action, int) else action.pk
    locked = _lock(FindingAction, pk, expected_version, _("action"))
    S = FindingAction.Status  # noqa: N806 (the enum, read as in the model)
    if status not in S.values:
        raise ApplicationError(_("Choose the action's status."), details={"status": status})
    if not locked.is_pending:
        raise ConflictError(
            _("This action is already %(status)s; it can no longer change.")
            % {"status": locked.get_status_display().lower()},
            details={"status": locked.status},
        )
    if status != locked.status and status not in ACTION_MOVES[locked.status]:
        raise ConflictError(_("The action cannot move that way."), details={"status": status})
    fields = ["status"]
    if owner is not None and owner.strip() and owner.strip() != locked.owner:
        locked.owner = owner.strip()
        fields.append("owner")
    if deadline is not None and deadline != locked.deadline:
        locked.deadline = deadline
        fields.append("deadline")
    if status == S.DONE:
        if done_on is None:
            raise ApplicationError(_("Give the day the action was done."), details={"done_on": ""})
        if done_on > timezone.localdate():
            raise ApplicationError(
                _("The day it was done is in the future; record it once it is done."),
                details={"done_on": done_on.isoformat()},
            )
        if not evidence.strip():
            raise ApplicationError(
                _("Say what shows the action is done (a document's reference, what was seen)."),
                details={"evidence": ""},
            )
        locked.done_on, locked.evidence, locked.decided_by_id = done_on, evidence.strip(), actor.pk
        fields += ["done_on", "evidence", "decided_by"]
    elif status == S.NOT_ACCEPTED:
        if not reason.strip():
            raise ApplicationError(_("Say why the action is not accepted."), details={"reason": ""})
        locked.reason, locked.decided_by_id = reason.strip(), actor.pk
        fields += ["reason", "decided_by"]
    locked.status = status
    try:
        with transaction.atomic():
            _bump(locked, fields)
    except IntegrityError as error:  # the database's rule on a complete state
        raise ApplicationError(
            _("The action's status and its details do not fit together; check them.")
        ) from error
    return locked
