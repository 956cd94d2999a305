"""Finance: tranches, pricing and travel support (merged by program.core.capabilities).

Officers prepare (generate, invoice, pay, meet conditions); approvers decide (approve, reject,
withhold); either may dispute. The four-eyes rule itself is the database's."""

from program.core.roles import Role

_OFFICER = frozenset({Role.FINANCE_OFFICER})
_APPROVER = frozenset({Role.FINANCE_APPROVER})
_FINANCE_STAFF = _OFFICER | _APPROVER

CAPABILITIES: dict[str, frozenset[str]] = {
    "finance.read": frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER, Role.AUDITOR}),
    # Finance owns the pricing terms.
    "pricing.manage": _OFFICER,
    "schedule.generate": _OFFICER,
    "tranche.invoice": _OFFICER,
    "tranche.pay": _OFFICER,
    # Told that a tranche waits for approval; the approval queue is theirs.
    "tranche.approve": _APPROVER,
    "tranche.reject": _APPROVER,
    "tranche.withhold": _APPROVER,
    "tranche.dispute": _FINANCE_STAFF,
    # Add, change and remove release conditions and record their evidence.
    "tranche.condition.manage": _OFFICER,
    # A second person, officer or approver, signs each condition off (the service refuses
    # whoever added it or recorded its evidence).
    "tranche.condition.sign_off": _FINANCE_STAFF,
    # Told of tranches that fell due or overdue.
    "tranche.notified": _FINANCE_STAFF,
    # Travel support for visitors.
    "travel.budget.set": _OFFICER,
    "travel.grant.prepare": _OFFICER,
    "travel.grant.decide": _APPROVER,
    "travel.grant.pay": _OFFICER,
}
