"""The route policy: every page and API route, by URL name, with the capability and methods
each needs.

This one table is enforced for pages by RoutePolicyMiddleware and for the API by
RoutePolicyPermission. A route missing from it is refused for everyone (fail closed), and a test
walks every URL pattern to prove nothing is missing. Read it as the answer to "who may reach
what"; which roles hold each capability is program.core.capabilities' answer.
"""

import importlib
import importlib.util
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from program.core.capabilities import registry, roles_with
from program.core.roles import user_roles

READ = frozenset({"GET", "HEAD", "OPTIONS"})
READ_WRITE = READ | {"POST", "PUT", "PATCH", "DELETE"}
FORM = READ | {"POST"}
ACTION = frozenset({"POST"})  # API actions: nothing to read at their address


@dataclass(frozen=True)
class Access:
    read: str = ""  # the capability to read (GET, HEAD, OPTIONS); none for public routes
    methods: frozenset[str] = READ
    # The capability to use the other methods in `methods`; the read capability when not given.
    write: str = ""
    public: bool = False  # no sign-in needed
    any_signed_in: bool = False  # every signed-in user, with or without a role

    def __post_init__(self) -> None:
        if not self.write and self.methods - READ:
            object.__setattr__(self, "write", self.read)

    @property
    def roles(self) -> frozenset[str]:
        """The roles that may read (those holding the read capability)."""
        return roles_with(self.read) if self.read else frozenset()

    @property
    def write_roles(self) -> frozenset[str]:
        """The roles that may use the route's other methods."""
        return roles_with(self.write) if self.write else frozenset()

    def allows_method(self, method: str) -> bool:
        return method.upper() in self.methods

    def capability_for(self, method: str) -> str:
        return self.read if method.upper() in READ else self.write

    def roles_for(self, method: str) -> frozenset[str]:
        return self.roles if method.upper() in READ else self.write_roles

    def admits(self, roles: frozenset[str], *, signed_in: bool, method: str = "GET") -> bool:
        if self.public:
            return True
        if not signed_in:
            return False
        return self.any_signed_in or not roles.isdisjoint(self.roles_for(method))


PUBLIC = Access(methods=FORM, public=True)
SIGNED_IN = Access(any_signed_in=True)

ROUTES: dict[str, Access] = {
    # Signing in and out, health: reachable before a role is known.
    "login": PUBLIC,
    "logout": Access(methods=FORM, any_signed_in=True),
    # The language switch in every page's header, the sign-in and error pages' too.
    "language": Access(methods=frozenset({"POST"}), public=True),
    # One's own account: password and second factor. Open to every signed-in user; a session
    # that owes its second factor reaches only verify and set-up (SecondFactorMiddleware).
    "account:overview": SIGNED_IN,
    "account:email-change": Access(methods=FORM, any_signed_in=True),
    "account:password-change": Access(methods=FORM, any_signed_in=True),
    # Personal API tokens: one's own only (the service scopes every read and write to the user).
    "account:tokens": Access(methods=FORM, any_signed_in=True),
    "account:token-revoke": Access(methods=frozenset({"POST"}), any_signed_in=True),
    "account:second-factor": Access(methods=FORM, any_signed_in=True),
    "account:second-factor-enrol": Access(methods=FORM, any_signed_in=True),
    "account:second-factor-verify": Access(methods=FORM, any_signed_in=True),
    "healthz": Access(public=True),
    # Pages
    "home": SIGNED_IN,
    "system-status": Access("system.status.read"),
    "cells:agreement-list": Access("programme.read"),
    "cells:agreement-detail": Access("programme.read"),
    "cells:agreement-create": Access("programme.manage", methods=FORM),
    "cells:agreement-edit": Access("programme.manage", methods=FORM),
    "cells:facility-create": Access("programme.manage", methods=FORM),
    "cells:facility-edit": Access("programme.manage", methods=FORM),
    "cells:ramp-up-create": Access("programme.manage", methods=FORM),
    "cells:ramp-up-edit": Access("programme.manage", methods=FORM),
    # Each user chooses the programme they work in (their own preference only).
    "cells:programme-choose": Access("programme.read", methods=frozenset({"POST"})),
    "finance:terms-create": Access("pricing.manage", methods=FORM),
    "finance:terms-edit": Access("pricing.manage", methods=FORM),
    "cells:facility-list": Access("cells.read"),
    "cells:facility-detail": Access("cells.read"),
    "finance:terms": Access("finance.read"),
    # --- finance pages (begin): owned by the finance work
    # Officers prepare (generate, invoice, pay, meet conditions); approvers decide (approve,
    # reject, withhold); either may dispute. The four-eyes rule itself is the database's.
    "finance:dashboard": Access("finance.read"),
    "finance:schedule": Access("finance.read"),
    "finance:schedule-generate": Access("finance.read", methods=FORM, write="schedule.generate"),
    "finance:tranche-detail": Access("finance.read"),
    "finance:tranche-history": Access("finance.read"),
    "finance:tranche-invoice": Access("finance.read", methods=FORM, write="tranche.invoice"),
    "finance:tranche-approve": Access("finance.read", methods=FORM, write="tranche.approve"),
    "finance:tranche-reject": Access("finance.read", methods=FORM, write="tranche.reject"),
    "finance:tranche-pay": Access("finance.read", methods=FORM, write="tranche.pay"),
    "finance:tranche-dispute": Access("finance.read", methods=FORM, write="tranche.dispute"),
    "finance:tranche-withhold": Access("finance.read", methods=FORM, write="tranche.withhold"),
    # Officers add, change and remove conditions and record their evidence; a second person,
    # officer or approver, signs each off (the service refuses whoever added it or recorded it).
    "finance:condition-add": Access("finance.read", methods=FORM, write="tranche.condition.manage"),
    "finance:condition-edit": Access(
        "finance.read", methods=FORM, write="tranche.condition.manage"
    ),
    "finance:condition-remove": Access(
        "finance.read", methods=FORM, write="tranche.condition.manage"
    ),
    "finance:condition-evidence": Access(
        "finance.read", methods=FORM, write="tranche.condition.manage"
    ),
    "finance:condition-sign-off": Access(
        "finance.read", methods=FORM, write="tranche.condition.sign_off"
    ),
    "finance:evidence-download": Access("finance.read"),
    "finance:schedule-export": Access("finance.read"),
    "finance:cost-report": Access("finance.read"),
    "finance:report-export": Access("finance.read"),
    # --- finance pages (end)
    # --- transfers pages (begin): owned by the transfers work
    # Transfer files hold conviction, medical and family data: never the finance roles. The
    # services narrow each move further to its own capability (transfers/moves.py MOVES).
    "transfers:worklist": Access("case.read"),
    "transfers:case-detail": Access("case.read"),
    "transfers:case-history": Access("case.read"),
    # Only for who may open a case: the page is its form and nothing else.
    "transfers:case-open": Access("case.open", methods=FORM),
    "transfers:case-transition": Access(
        "case.read", methods=frozenset({"POST"}), write="case.move"
    ),
    "transfers:case-screen": Access("case.read", methods=frozenset({"POST"}), write="case.screen"),
    "transfers:screen-selected": Access(
        "case.read", methods=frozenset({"POST"}), write="case.screen"
    ),
    "transfers:case-opinion": Access("case.read", methods=frozenset({"POST"}), write="case.manage"),
    "transfers:case-decision": Access(
        "case.read", methods=frozenset({"POST"}), write="case.manage"
    ),
    "transfers:case-appeal-outcome": Access(
        "case.read", methods=frozenset({"POST"}), write="case.manage"
    ),
    "transfers:case-release-preparation": Access(
        "case.read", methods=frozenset({"POST"}), write="case.manage"
    ),
    "transfers:document-upload": Access(
        "case.read", methods=frozenset({"POST"}), write="case.document.upload"
    ),
    "transfers:batch-list": Access("case.read", methods=FORM, write="transport.plan"),
    "transfers:batch-detail": Access("case.read"),
    # The manifest handed to the host prison: those who run the transport and the host prison.
    "transfers:batch-manifest": Access("transport.manifest.read"),
    # A whole transport's departure (caseworkers) and arrival (the occupancy administrator).
    "transfers:batch-departure": Access(
        "case.read", methods=frozenset({"POST"}), write="transport.depart"
    ),
    "transfers:batch-arrival": Access(
        "case.read", methods=frozenset({"POST"}), write="transport.arrive"
    ),
    "transfers:expected-arrivals": Access("case.read"),
    "transfers:case-review": Access("case.read", methods=frozenset({"POST"}), write="case.manage"),
    "transfers:rules": Access("case.read"),
    "transfers:rule-parameter-edit": Access("eligibility.rules.edit", methods=FORM),
    "transfers:document-download": Access("case.read"),
    "transfers:intake": Access("intake.run", methods=FORM),
    "transfers:intake-job": Access("intake.run"),
    "transfers:screen-all": Access("case.screen", methods=frozenset({"POST"})),
    "transfers:screen-job": Access("case.screen"),
    # Letters (transfers/letters): caseworkers make them; whoever reads the case file sees them.
    "letters:case-letter-generate": Access(
        "case.read", methods=frozenset({"POST"}), write="letter.generate"
    ),
    "letters:batch-letters": Access(
        "case.read", methods=frozenset({"POST"}), write="letter.generate"
    ),
    "letters:letter-job": Access("letter.generate"),
    # The programme report (transfers/report): its numbers for everyone in the programme; the
    # cases behind a figure name people, so only for who may read case files, never finance.
    "reports:programme": Access("programme.report.read"),
    "reports:programme-export": Access("programme.report.read"),
    "reports:programme-cases": Access("case.read"),
    # --- transfers pages (end)
    # --- audit pages (begin): owned by the audit work
    # The access log names staff and what they looked at: auditors only. The history page shows
    # a person's file to those who may read it (the view keeps other records to auditors).
    "audit:access-log": Access("access_log.read"),
    "audit:subject-report": Access("access_log.read"),
    "audit:history": Access("audit.history.read"),
    # The purpose asked before a person's record is shown (stored in the session).
    "audit:purpose": Access("audit.history.read", methods=frozenset({"POST"})),
    # --- audit pages (end)
    # Inmates (pages)
    "inmates:list": Access("inmate.read"),
    "inmates:detail": Access("inmate.read"),
    "inmates:create": Access("inmate.edit", methods=FORM),
    "inmates:edit": Access("inmate.edit", methods=FORM),
    "inmates:judgment-create": Access("inmate.edit", methods=FORM),
    "inmates:judgment-edit": Access("inmate.edit", methods=FORM),
    "inmates:expulsion-create": Access("inmate.edit", methods=FORM),
    "inmates:expulsion-edit": Access("inmate.edit", methods=FORM),
    "inmates:non-association-create": Access("keep_apart.edit", methods=FORM),
    "inmates:non-association-end": Access("keep_apart.edit", methods=FORM),
    "inmates:import": Access("inmate.import", methods=FORM),
    "inmates:import-job": Access("inmate.import"),
    # Occupancy and units (pages)
    "cells:occupancy": Access("occupancy.read"),
    "cells:roll-csv": Access("cells.read"),
    "cells:unit-detail": Access("cells.read"),
    "cells:place-admit": Access("placement.admit", methods=FORM),
    "cells:place-reserve": Access("placement.reserve", methods=FORM),
    "cells:placement-move": Access("placement.move", methods=FORM),
    "cells:placement-release": Access("placement.release", methods=FORM),
    "cells:reservation-cancel": Access("reservation.cancel", methods=FORM),
    "cells:outage-start": Access("outage.manage", methods=FORM),
    "cells:outage-end": Access("outage.manage", methods=FORM),
    # Notifications: each user sees only their own (the views filter by recipient), so every
    # role that works in the programme may open the page; finance staff are told of tranches.
    "notifications:list": Access("notification.read"),
    "notifications:read": Access("notification.read", methods=ACTION),
    # API
    "api:schema": Access("api.docs.read"),
    "api-docs": Access("api.docs.read"),
    "api:me": SIGNED_IN,
    # The user's own work queues (none for a role without one): the home page's twin.
    "api:work-queues": SIGNED_IN,
    "api:token-list": SIGNED_IN,
    "api:token-revoke": Access(methods=ACTION, any_signed_in=True),
    "api:system-status": Access("system.status.read"),
    "api:notification-list": Access("notification.read"),
    "api:notification-read": Access("notification.read", methods=ACTION),
    "api:agreement-list": Access(
        "programme.read", methods=READ | {"POST"}, write="programme.manage"
    ),
    "api:agreement-detail": Access(
        "programme.read", methods=READ | {"PUT", "PATCH"}, write="programme.manage"
    ),
    "api:facility-list": Access("cells.read", methods=READ | {"POST"}, write="programme.manage"),
    "api:facility-detail": Access(
        "cells.read", methods=READ | {"PUT", "PATCH"}, write="programme.manage"
    ),
    "api:ramp-up-cap-list": Access("cells.read", methods=READ | {"POST"}, write="programme.manage"),
    "api:ramp-up-cap-detail": Access(
        "cells.read", methods=READ | {"PUT", "PATCH"}, write="programme.manage"
    ),
    "api:cell-list": Access("cells.read"),
    "api:cell-detail": Access("cells.read"),
    "api:pricing-terms-list": Access(
        "finance.read", methods=READ | {"POST"}, write="pricing.manage"
    ),
    "api:pricing-terms-detail": Access(
        "finance.read", methods=READ | {"PUT", "PATCH"}, write="pricing.manage"
    ),
    "api:aid-stream-list": Access("finance.read"),
    "api:aid-stream-detail": Access("finance.read"),
    "api:inmate-list": Access("inmate.read", methods=READ | {"POST"}, write="inmate.edit"),
    "api:inmate-detail": Access(
        "inmate.read", methods=READ | {"PUT", "PATCH"}, write="inmate.edit"
    ),
    "api:non-association-list": Access(
        "inmate.read", methods=READ | {"POST"}, write="keep_apart.edit"
    ),
    "api:non-association-detail": Access("inmate.read"),
    "api:judgment-list": Access("inmate.read", methods=READ | {"POST"}, write="inmate.edit"),
    "api:judgment-detail": Access(
        "inmate.read", methods=READ | {"PUT", "PATCH"}, write="inmate.edit"
    ),
    "api:expulsion-order-list": Access("inmate.read", methods=READ | {"POST"}, write="inmate.edit"),
    "api:expulsion-order-detail": Access(
        "inmate.read", methods=READ | {"PUT", "PATCH"}, write="inmate.edit"
    ),
    "api:place-list": Access("cells.read"),
    "api:place-detail": Access("cells.read"),
    "api:placement-list": Access("cells.read"),
    "api:placement-detail": Access("cells.read"),
    "api:placement-admit": Access("placement.admit", methods=ACTION),
    "api:placement-reserve": Access("placement.reserve", methods=ACTION),
    "api:placement-move": Access("placement.move", methods=ACTION),
    "api:placement-release": Access("placement.release", methods=ACTION),
    "api:placement-cancel": Access("reservation.cancel", methods=ACTION),
    # --- finance API (begin): owned by the finance work
    "api:tranche-list": Access("finance.read"),
    "api:tranche-detail": Access("finance.read"),
    "api:tranche-invoice": Access("finance.read", methods=ACTION, write="tranche.invoice"),
    "api:tranche-approve": Access("finance.read", methods=ACTION, write="tranche.approve"),
    "api:tranche-reject": Access("finance.read", methods=ACTION, write="tranche.reject"),
    "api:tranche-pay": Access("finance.read", methods=ACTION, write="tranche.pay"),
    "api:tranche-dispute": Access("finance.read", methods=ACTION, write="tranche.dispute"),
    "api:tranche-withhold": Access("finance.read", methods=ACTION, write="tranche.withhold"),
    "api:tranche-condition-list": Access(
        "finance.read", methods=READ | {"POST"}, write="tranche.condition.manage"
    ),
    "api:tranche-condition-detail": Access(
        "finance.read", methods=READ | {"PATCH", "PUT", "DELETE"}, write="tranche.condition.manage"
    ),
    "api:tranche-condition-evidence": Access(
        "finance.read", methods=ACTION, write="tranche.condition.manage"
    ),
    "api:tranche-condition-sign-off": Access(
        "finance.read", methods=ACTION, write="tranche.condition.sign_off"
    ),
    "api:cost-per-place-day": Access("finance.read"),
    # --- finance API (end)
    # --- transfers API (begin): owned by the transfers work
    "api:transfer-case-list": Access("case.read", methods=READ | {"POST"}, write="case.open"),
    "api:transfer-case-detail": Access("case.read"),
    "api:transfer-case-transitions": Access(
        "case.read", methods=frozenset({"POST"}), write="case.move"
    ),
    "api:transfer-case-screen": Access(
        "case.read", methods=frozenset({"POST"}), write="case.screen"
    ),
    "api:transfer-case-documents": Access(
        "case.read", methods=READ | {"POST"}, write="case.document.upload"
    ),
    "api:transfer-case-events": Access("case.read"),
    "api:transfer-case-opinions": Access("case.read", methods=READ | {"POST"}, write="case.manage"),
    "api:transfer-case-decisions": Access(
        "case.read", methods=READ | {"POST"}, write="case.manage"
    ),
    # The moves with input, one endpoint each (transfers/api/moves.py); the services narrow
    # each to the move's own role.
    **{
        f"api:transfer-case-{endpoint}": Access("case.read", methods=ACTION, write=capability)
        for endpoint, capability in (
            ("notification", "case.manage"),
            ("appeal", "case.manage"),
            ("schedule", "case.manage"),
            ("rebook", "case.manage"),
            ("departure", "case.manage"),
            ("admission", "placement.admit"),
            ("return", "case.stay.end"),
            ("deportation", "case.stay.end"),
            ("release", "case.stay.end"),
        )
    },
    "api:transfer-case-review": Access("case.read", methods=ACTION, write="case.manage"),
    "api:transport-batch-departure": Access("case.read", methods=ACTION, write="transport.depart"),
    "api:transport-batch-arrival": Access("case.read", methods=ACTION, write="transport.arrive"),
    "api:transfer-case-appeal-outcome": Access("case.read", methods=ACTION, write="case.manage"),
    "api:transfer-case-release-preparation": Access(
        "case.read", methods=READ | {"PUT"}, write="case.manage"
    ),
    # The manifest handed to the host prison (a disclosure, logged per person).
    "api:transport-batch-manifest": Access("transport.manifest.read"),
    "api:eligibility-rules": Access("case.read"),
    "api:transport-batch-list": Access(
        "case.read", methods=READ | {"POST"}, write="transport.plan"
    ),
    "api:transport-batch-detail": Access("case.read"),
    "api:transfer-case-letters": Access(
        "case.read", methods=READ | {"POST"}, write="letter.generate"
    ),
    "api:transport-batch-letters": Access("letter.generate", methods=ACTION),
    "api:letter-job-detail": Access("letter.generate"),
    "api:candidate-intake-list": Access("intake.run", methods=frozenset({"POST"})),
    "api:candidate-intake-detail": Access("intake.run"),
    "api:programme-report": Access("programme.report.read"),
    "api:programme-report-cases": Access("case.read"),
    # --- transfers API (end)
    # --- audit API (begin): owned by the audit work
    # --- audit API (end)
    "api:occupancy": Access("occupancy.read"),
    "api:roll": Access("cells.read"),
}


def _merge_app_routes() -> None:
    """Add the routes an app declares in its own `routes.py` (a `ROUTES` dict of the same shape),
    so an app's pages and API carry their access rules beside them. A name declared twice is a
    mistake and stops start-up."""
    for app in settings.INSTALLED_APPS:
        module_name = f"{app}.routes"
        if not app.startswith(("program.", "transfers", "finance")):
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        declared: dict[str, Access] = importlib.import_module(module_name).ROUTES
        clash = declared.keys() & ROUTES.keys()
        if clash:
            raise ImproperlyConfigured(
                f"{module_name} declares routes already in the policy: {clash}"
            )
        ROUTES.update(declared)


_merge_app_routes()


def _check_capabilities() -> None:
    """Every capability a route names exists: a misspelt one would lock everyone out."""
    known = registry()
    named = {name for access in ROUTES.values() for name in (access.read, access.write) if name}
    unknown = named - known.keys()
    if unknown:
        raise ImproperlyConfigured(f"the route policy names unknown capabilities: {unknown}")


_check_capabilities()

# The Django admin checks is_staff itself; the policy only keeps everyone else out of it.
ADMIN_NAMESPACE = "admin"
ADMIN_ACCESS = Access("admin.use", methods=READ_WRITE)


def access_for(view_name: str) -> Access | None:
    """The rule for a resolved view name, or None when the route is not in the policy."""
    if view_name.split(":", 1)[0] == ADMIN_NAMESPACE:
        return ADMIN_ACCESS
    return ROUTES.get(view_name)


def is_api(view_name: str) -> bool:
    return view_name.startswith("api:")


def allows(view_name: str, roles: frozenset[str], method: str = "GET") -> bool:
    """Whether a signed-in user holding these roles may use the route with this method.

    GET for navigation and read panels; POST for a form, whose route may be readable by more
    roles than may send it (a decision page is read by auditors, posted only by approvers).
    """
    access = access_for(view_name)
    return access is not None and access.admits(roles, signed_in=True, method=method)


def may_post(request: HttpRequest, route: str) -> bool:
    """Whether the signed-in user may send this route's form: the page shows the form or the
    button only then (the route's write capability; the middleware refuses the rest)."""
    return allows(route, user_roles(request.user), method="POST")
