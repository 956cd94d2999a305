"""Finance routes declared beside their views (merged into program.core.policy.ROUTES): the
travel-support stream, and making an inspection finding a release condition of a tranche
(docs/inspections.md); the rest of finance's routes are in the policy's own table.

Finance officers set the budget, prepare grants and record payments; finance approvers approve
or reject (never the preparer: the database refuses it); the auditor reads.
"""

from program.core.policy import ACTION, FORM, READ, Access

ROUTES: dict[str, Access] = {
    "finance:condition-finding": Access(
        "finance.read", methods=FORM, write="tranche.condition.manage"
    ),
    "api:tranche-condition-finding": Access(
        "finance.read", methods=ACTION, write="tranche.condition.manage"
    ),
    "finance:travel-support": Access("finance.read"),
    "finance:travel-support-export": Access("finance.read"),
    "finance:travel-budget-set": Access("travel.budget.set", methods=FORM),
    "finance:travel-grant-list": Access("finance.read"),
    "finance:travel-grant-prepare": Access("travel.grant.prepare", methods=FORM),
    "finance:travel-grant-detail": Access("finance.read"),
    "finance:travel-grant-approve": Access(
        "finance.read", methods=FORM, write="travel.grant.decide"
    ),
    "finance:travel-grant-reject": Access(
        "finance.read", methods=FORM, write="travel.grant.decide"
    ),
    "finance:travel-grant-pay": Access("finance.read", methods=FORM, write="travel.grant.pay"),
    "api:travel-grant-list": Access(
        "finance.read", methods=READ | {"POST"}, write="travel.grant.prepare"
    ),
    "api:travel-grant-detail": Access("finance.read"),
    "api:travel-grant-approve": Access("finance.read", methods=ACTION, write="travel.grant.decide"),
    "api:travel-grant-reject": Access("finance.read", methods=ACTION, write="travel.grant.decide"),
    "api:travel-grant-pay": Access("finance.read", methods=ACTION, write="travel.grant.pay"),
    "api:travel-budget-list": Access(
        "finance.read", methods=READ | {"POST"}, write="travel.budget.set"
    ),
    "api:travel-budget-detail": Access("finance.read"),
    "api:travel-support-report": Access("finance.read"),
}
