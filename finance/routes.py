"""Finance routes declared beside their views (merged into program.core.policy.ROUTES): the
travel-support stream, and making an inspection finding a release condition of a tranche
(docs/inspections.md); the rest of finance's routes are in the policy's own table.

Finance officers set the budget, prepare grants and record payments; finance approvers approve
or reject (never the preparer: the database refuses it); the auditor reads.
"""

from program.core.policy import ACTION, FINANCE_READERS, FORM, READ, Access
from program.core.roles import Role

OFFICERS = frozenset({Role.FINANCE_OFFICER})
APPROVERS = frozenset({Role.FINANCE_APPROVER})

ROUTES: dict[str, Access] = {
    "finance:condition-finding": Access(roles=FINANCE_READERS, methods=FORM, write_roles=OFFICERS),
    "api:tranche-condition-finding": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=OFFICERS
    ),
    "finance:travel-support": Access(roles=FINANCE_READERS),
    "finance:travel-support-export": Access(roles=FINANCE_READERS),
    "finance:travel-budget-set": Access(roles=OFFICERS, methods=FORM),
    "finance:travel-grant-list": Access(roles=FINANCE_READERS),
    "finance:travel-grant-prepare": Access(roles=OFFICERS, methods=FORM),
    "finance:travel-grant-detail": Access(roles=FINANCE_READERS),
    "finance:travel-grant-approve": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=APPROVERS
    ),
    "finance:travel-grant-reject": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=APPROVERS
    ),
    "finance:travel-grant-pay": Access(roles=FINANCE_READERS, methods=FORM, write_roles=OFFICERS),
    "api:travel-grant-list": Access(
        roles=FINANCE_READERS, methods=READ | {"POST"}, write_roles=OFFICERS
    ),
    "api:travel-grant-detail": Access(roles=FINANCE_READERS),
    "api:travel-grant-approve": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=APPROVERS
    ),
    "api:travel-grant-reject": Access(roles=FINANCE_READERS, methods=ACTION, write_roles=APPROVERS),
    "api:travel-grant-pay": Access(roles=FINANCE_READERS, methods=ACTION, write_roles=OFFICERS),
    "api:travel-budget-list": Access(
        roles=FINANCE_READERS, methods=READ | {"POST"}, write_roles=OFFICERS
    ),
    "api:travel-budget-detail": Access(roles=FINANCE_READERS),
    "api:travel-support-report": Access(roles=FINANCE_READERS),
}
