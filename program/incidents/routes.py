"""The incident routes and who may reach them (merged into program.core.policy.ROUTES).

Readers: the Danish roles that answer for life at the facility (caseworker, occupancy
administrator, auditor, governor) and the host facility's staff, who see only their own
facility's incidents (selectors.incidents_for). Never the finance roles. Reporters: host staff,
the governor and caseworkers; reviewer: the governor.
"""

from program.core.policy import ACTION, FORM, READ, Access

ROUTES: dict[str, Access] = {
    "incidents:list": Access("incident.read"),
    "incidents:create": Access("incident.report", methods=FORM),
    "incidents:detail": Access("incident.read"),
    "incidents:review": Access("incident.review", methods=FORM),
    "incidents:add-information": Access("incident.report", methods=FORM),
    "api:incident-list": Access("incident.read", methods=READ | {"POST"}, write="incident.report"),
    "api:incident-detail": Access("incident.read"),
    "api:incident-review": Access("incident.review", methods=ACTION),
}
