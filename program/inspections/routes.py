"""The inspections' routes and who may reach them (merged into program.core.policy.ROUTES).

The governor and the occupancy administrators record inspections and findings and move the
promised actions; the auditor reads. Finance staff do not reach these pages: they see a
finding's title and status on the tranche it holds back (finance). Host-facility staff are not
given them (docs/inspections.md).
"""

from program.core.policy import FORM, READ, Access

_WRITE = Access("inspection.read", methods=FORM, write="inspection.edit")
_READ = Access("inspection.read", methods=READ)

ROUTES: dict[str, Access] = {
    "inspections:list": _READ,
    "inspections:overdue": _READ,
    "inspections:detail": _READ,
    "inspections:report": _READ,
    "inspections:finding-detail": _READ,
    "inspections:create": Access("inspection.edit", methods=FORM),
    "inspections:edit": Access("inspection.edit", methods=FORM),
    "inspections:finding-create": Access("inspection.edit", methods=FORM),
    "inspections:finding-edit": Access("inspection.edit", methods=FORM),
    # GET shows the finding page (the auditor may read it); POST moves the action.
    "inspections:action-add": _WRITE,
    "inspections:action-update": _WRITE,
    # --- API
    "api:inspection-list": Access(
        "inspection.read", methods=READ | {"POST"}, write="inspection.edit"
    ),
    "api:inspection-detail": Access(
        "inspection.read", methods=READ | {"PATCH"}, write="inspection.edit"
    ),
    "api:inspection-report": Access("inspection.edit", methods=frozenset({"POST"})),
    "api:finding-list": Access("inspection.read", methods=READ | {"POST"}, write="inspection.edit"),
    "api:finding-detail": Access(
        "inspection.read", methods=READ | {"PATCH"}, write="inspection.edit"
    ),
    "api:finding-action-list": Access(
        "inspection.read", methods=READ | {"POST"}, write="inspection.edit"
    ),
    "api:finding-action-detail": Access(
        "inspection.read", methods=READ | {"PATCH"}, write="inspection.edit"
    ),
}
