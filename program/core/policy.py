"""The route policy: every page and API route, by URL name, with the roles and methods allowed.

This one table is enforced for pages by RoutePolicyMiddleware and for the API by
RoutePolicyPermission. A route missing from it is refused for everyone (fail closed), and a test
walks every URL pattern to prove nothing is missing. Read it as the answer to "who may reach what".
"""

import importlib
import importlib.util
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from program.core.roles import SYSTEM_ADMIN, Role

READ = frozenset({"GET", "HEAD", "OPTIONS"})
READ_WRITE = READ | {"POST", "PUT", "PATCH", "DELETE"}
FORM = READ | {"POST"}
ACTION = frozenset({"POST"})  # API actions: nothing to read at their address

EVERY_ROLE = frozenset({*Role.values, SYSTEM_ADMIN})
PROGRAMME_READERS = frozenset(
    {
        Role.CASEWORKER,
        Role.OCCUPANCY_ADMIN,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.AUDITOR,
    }
)
CELLS_READERS = frozenset({Role.OCCUPANCY_ADMIN, Role.CASEWORKER, Role.AUDITOR})
FINANCE_READERS = frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER, Role.AUDITOR})
# A person's record (conviction, medical, family data): never the finance roles (minimisation).
INMATE_READERS = frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN, Role.AUDITOR})
INMATE_WRITERS = frozenset({Role.CASEWORKER})
KEEP_APART_WRITERS = frozenset({Role.CASEWORKER, Role.OCCUPANCY_ADMIN})
# Aggregate occupancy (no names): finance needs it for the cost of an occupied place-day.
OCCUPANCY_READERS = frozenset({*CELLS_READERS, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER})
PLACEMENT_WRITERS = frozenset({Role.OCCUPANCY_ADMIN})
# The programme office records and amends agreements, facilities and ramp-up; finance owns the
# pricing terms (docs/programmes.md).
PROGRAMME_OWNERS = frozenset({Role.OCCUPANCY_ADMIN})
PRICING_OWNERS = frozenset({Role.FINANCE_OFFICER})
OPERATIONS = frozenset({Role.OCCUPANCY_ADMIN, Role.AUDITOR, SYSTEM_ADMIN})


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] = frozenset()  # who may read (GET, HEAD, OPTIONS)
    methods: frozenset[str] = READ
    # Who may use the other methods in `methods`; the readers themselves when not given.
    write_roles: frozenset[str] = frozenset()
    public: bool = False  # no sign-in needed
    any_signed_in: bool = False  # every signed-in user, with or without a role

    def __post_init__(self) -> None:
        if not self.write_roles and self.methods - READ:
            object.__setattr__(self, "write_roles", self.roles)

    def allows_method(self, method: str) -> bool:
        return method.upper() in self.methods

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
    "system-status": Access(roles=OPERATIONS),
    "cells:agreement-list": Access(roles=PROGRAMME_READERS),
    "cells:agreement-detail": Access(roles=PROGRAMME_READERS),
    "cells:agreement-create": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    "cells:agreement-edit": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    "cells:facility-create": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    "cells:facility-edit": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    "cells:ramp-up-create": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    "cells:ramp-up-edit": Access(roles=PROGRAMME_OWNERS, methods=FORM),
    # Each user chooses the programme they work in (their own preference only).
    "cells:programme-choose": Access(roles=PROGRAMME_READERS, methods=frozenset({"POST"})),
    "finance:terms-create": Access(roles=PRICING_OWNERS, methods=FORM),
    "finance:terms-edit": Access(roles=PRICING_OWNERS, methods=FORM),
    "cells:facility-list": Access(roles=CELLS_READERS),
    "cells:facility-detail": Access(roles=CELLS_READERS),
    "finance:terms": Access(roles=FINANCE_READERS),
    # --- finance pages (begin): owned by the finance work
    # Officers prepare (generate, invoice, pay, meet conditions); approvers decide (approve,
    # reject, withhold); either may dispute. The four-eyes rule itself is the database's.
    "finance:dashboard": Access(roles=FINANCE_READERS),
    "finance:schedule": Access(roles=FINANCE_READERS),
    "finance:schedule-generate": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:tranche-detail": Access(roles=FINANCE_READERS),
    "finance:tranche-history": Access(roles=FINANCE_READERS),
    "finance:tranche-invoice": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:tranche-approve": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    "finance:tranche-reject": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    "finance:tranche-pay": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:tranche-dispute": Access(
        roles=FINANCE_READERS,
        methods=FORM,
        write_roles=frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER}),
    ),
    "finance:tranche-withhold": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    # Officers add, change and remove conditions and record their evidence; a second person,
    # officer or approver, signs each off (the service refuses whoever added it or recorded it).
    "finance:condition-add": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:condition-edit": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:condition-remove": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:condition-evidence": Access(
        roles=FINANCE_READERS, methods=FORM, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "finance:condition-sign-off": Access(
        roles=FINANCE_READERS,
        methods=FORM,
        write_roles=frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER}),
    ),
    "finance:evidence-download": Access(roles=FINANCE_READERS),
    "finance:schedule-export": Access(roles=FINANCE_READERS),
    "finance:cost-report": Access(roles=FINANCE_READERS),
    "finance:report-export": Access(roles=FINANCE_READERS),
    # --- finance pages (end)
    # --- transfers pages (begin): owned by the transfers work
    # Transfer files hold conviction, medical and family data: never the finance roles. The
    # services narrow each move further to the role that owns it (transfers/services.py MOVES).
    "transfers:worklist": Access(roles=INMATE_READERS),
    "transfers:case-detail": Access(roles=INMATE_READERS),
    "transfers:case-history": Access(roles=INMATE_READERS),
    # Only for who may open a case: the page is its form and nothing else.
    "transfers:case-open": Access(roles=INMATE_WRITERS, methods=FORM),
    "transfers:case-transition": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=KEEP_APART_WRITERS
    ),
    "transfers:case-screen": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:screen-selected": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:case-opinion": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:case-decision": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:case-appeal-outcome": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:case-release-preparation": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:document-upload": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=KEEP_APART_WRITERS
    ),
    "transfers:batch-list": Access(roles=INMATE_READERS, methods=FORM, write_roles=INMATE_WRITERS),
    "transfers:batch-detail": Access(roles=INMATE_READERS),
    # The manifest handed to the host prison: those who run the transport and the host prison.
    "transfers:batch-manifest": Access(roles=KEEP_APART_WRITERS),
    # A whole transport's departure (caseworkers) and arrival (the occupancy administrator).
    "transfers:batch-departure": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:batch-arrival": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=PLACEMENT_WRITERS
    ),
    "transfers:expected-arrivals": Access(roles=INMATE_READERS),
    "transfers:case-review": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "transfers:rules": Access(roles=INMATE_READERS),
    "transfers:rule-parameter-edit": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "transfers:document-download": Access(roles=INMATE_READERS),
    "transfers:intake": Access(roles=INMATE_WRITERS, methods=FORM),
    "transfers:intake-job": Access(roles=INMATE_WRITERS),
    "transfers:screen-all": Access(roles=INMATE_WRITERS, methods=frozenset({"POST"})),
    "transfers:screen-job": Access(roles=INMATE_WRITERS),
    # Letters (transfers/letters): caseworkers make them; whoever reads the case file sees them.
    "letters:case-letter-generate": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "letters:batch-letters": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "letters:letter-job": Access(roles=INMATE_WRITERS),
    # The programme report (transfers/report): its numbers for everyone in the programme; the
    # cases behind a figure name people, so only for who may read case files, never finance.
    "reports:programme": Access(roles=PROGRAMME_READERS),
    "reports:programme-export": Access(roles=PROGRAMME_READERS),
    "reports:programme-cases": Access(roles=INMATE_READERS),
    # --- transfers pages (end)
    # --- audit pages (begin): owned by the audit work
    # The access log names staff and what they looked at: auditors only. The history page shows
    # a person's file to those who may read it (the view keeps other records to auditors).
    "audit:access-log": Access(roles=frozenset({Role.AUDITOR})),
    "audit:subject-report": Access(roles=frozenset({Role.AUDITOR})),
    "audit:history": Access(roles=INMATE_READERS),
    # The purpose asked before a person's record is shown (stored in the session).
    "audit:purpose": Access(roles=INMATE_READERS, methods=frozenset({"POST"})),
    # --- audit pages (end)
    # Inmates (pages)
    "inmates:list": Access(roles=INMATE_READERS),
    "inmates:detail": Access(roles=INMATE_READERS),
    "inmates:create": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:edit": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:judgment-create": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:judgment-edit": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:expulsion-create": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:expulsion-edit": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:non-association-create": Access(roles=KEEP_APART_WRITERS, methods=FORM),
    "inmates:non-association-end": Access(roles=KEEP_APART_WRITERS, methods=FORM),
    "inmates:import": Access(roles=INMATE_WRITERS, methods=FORM),
    "inmates:import-job": Access(roles=INMATE_WRITERS),
    # Occupancy and units (pages)
    "cells:occupancy": Access(roles=OCCUPANCY_READERS),
    "cells:roll-csv": Access(roles=CELLS_READERS),
    "cells:unit-detail": Access(roles=CELLS_READERS),
    "cells:place-admit": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:place-reserve": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:placement-move": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:placement-release": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:reservation-cancel": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:outage-start": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    "cells:outage-end": Access(roles=PLACEMENT_WRITERS, methods=FORM),
    # Notifications: each user sees only their own (the views filter by recipient), so every
    # role that works in the programme may open the page; finance staff are told of tranches.
    "notifications:list": Access(roles=PROGRAMME_READERS),
    "notifications:read": Access(roles=PROGRAMME_READERS, methods=ACTION),
    # API
    "api:schema": Access(roles=EVERY_ROLE),
    "api-docs": Access(roles=EVERY_ROLE),
    "api:me": SIGNED_IN,
    # The user's own work queues (none for a role without one): the home page's twin.
    "api:work-queues": SIGNED_IN,
    "api:token-list": SIGNED_IN,
    "api:token-revoke": Access(methods=ACTION, any_signed_in=True),
    "api:system-status": Access(roles=OPERATIONS),
    "api:notification-list": Access(roles=PROGRAMME_READERS),
    "api:notification-read": Access(roles=PROGRAMME_READERS, methods=ACTION),
    "api:agreement-list": Access(
        roles=PROGRAMME_READERS, methods=READ | {"POST"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:agreement-detail": Access(
        roles=PROGRAMME_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:facility-list": Access(
        roles=CELLS_READERS, methods=READ | {"POST"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:facility-detail": Access(
        roles=CELLS_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:ramp-up-cap-list": Access(
        roles=CELLS_READERS, methods=READ | {"POST"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:ramp-up-cap-detail": Access(
        roles=CELLS_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=PROGRAMME_OWNERS
    ),
    "api:cell-list": Access(roles=CELLS_READERS),
    "api:cell-detail": Access(roles=CELLS_READERS),
    "api:pricing-terms-list": Access(
        roles=FINANCE_READERS, methods=READ | {"POST"}, write_roles=PRICING_OWNERS
    ),
    "api:pricing-terms-detail": Access(
        roles=FINANCE_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=PRICING_OWNERS
    ),
    "api:aid-stream-list": Access(roles=FINANCE_READERS),
    "api:aid-stream-detail": Access(roles=FINANCE_READERS),
    "api:inmate-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:inmate-detail": Access(
        roles=INMATE_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=INMATE_WRITERS
    ),
    "api:non-association-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=KEEP_APART_WRITERS
    ),
    "api:non-association-detail": Access(roles=INMATE_READERS),
    "api:judgment-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:judgment-detail": Access(
        roles=INMATE_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=INMATE_WRITERS
    ),
    "api:expulsion-order-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:expulsion-order-detail": Access(
        roles=INMATE_READERS, methods=READ | {"PUT", "PATCH"}, write_roles=INMATE_WRITERS
    ),
    "api:place-list": Access(roles=CELLS_READERS),
    "api:place-detail": Access(roles=CELLS_READERS),
    "api:placement-list": Access(roles=CELLS_READERS),
    "api:placement-detail": Access(roles=CELLS_READERS),
    "api:placement-admit": Access(roles=PLACEMENT_WRITERS, methods=ACTION),
    "api:placement-reserve": Access(roles=PLACEMENT_WRITERS, methods=ACTION),
    "api:placement-move": Access(roles=PLACEMENT_WRITERS, methods=ACTION),
    "api:placement-release": Access(roles=PLACEMENT_WRITERS, methods=ACTION),
    "api:placement-cancel": Access(roles=PLACEMENT_WRITERS, methods=ACTION),
    # --- finance API (begin): owned by the finance work
    "api:tranche-list": Access(roles=FINANCE_READERS),
    "api:tranche-detail": Access(roles=FINANCE_READERS),
    "api:tranche-invoice": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "api:tranche-approve": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    "api:tranche-reject": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    "api:tranche-pay": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "api:tranche-dispute": Access(
        roles=FINANCE_READERS,
        methods=ACTION,
        write_roles=frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER}),
    ),
    "api:tranche-withhold": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_APPROVER})
    ),
    "api:tranche-condition-list": Access(
        roles=FINANCE_READERS,
        methods=READ | {"POST"},
        write_roles=frozenset({Role.FINANCE_OFFICER}),
    ),
    "api:tranche-condition-detail": Access(
        roles=FINANCE_READERS,
        methods=READ | {"PATCH", "PUT", "DELETE"},
        write_roles=frozenset({Role.FINANCE_OFFICER}),
    ),
    "api:tranche-condition-evidence": Access(
        roles=FINANCE_READERS, methods=ACTION, write_roles=frozenset({Role.FINANCE_OFFICER})
    ),
    "api:tranche-condition-sign-off": Access(
        roles=FINANCE_READERS,
        methods=ACTION,
        write_roles=frozenset({Role.FINANCE_OFFICER, Role.FINANCE_APPROVER}),
    ),
    "api:cost-per-place-day": Access(roles=FINANCE_READERS),
    # --- finance API (end)
    # --- transfers API (begin): owned by the transfers work
    "api:transfer-case-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:transfer-case-detail": Access(roles=INMATE_READERS),
    "api:transfer-case-transitions": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=KEEP_APART_WRITERS
    ),
    "api:transfer-case-screen": Access(
        roles=INMATE_READERS, methods=frozenset({"POST"}), write_roles=INMATE_WRITERS
    ),
    "api:transfer-case-documents": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=KEEP_APART_WRITERS
    ),
    "api:transfer-case-events": Access(roles=INMATE_READERS),
    "api:transfer-case-opinions": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:transfer-case-decisions": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    # The moves with input, one endpoint each (transfers/api/moves.py); the services narrow
    # each to the move's own role.
    **{
        f"api:transfer-case-{endpoint}": Access(
            roles=INMATE_READERS, methods=ACTION, write_roles=writers
        )
        for endpoint, writers in (
            ("notification", INMATE_WRITERS),
            ("appeal", INMATE_WRITERS),
            ("schedule", INMATE_WRITERS),
            ("rebook", INMATE_WRITERS),
            ("departure", INMATE_WRITERS),
            ("admission", PLACEMENT_WRITERS),
            ("return", KEEP_APART_WRITERS),
            ("deportation", KEEP_APART_WRITERS),
            ("release", KEEP_APART_WRITERS),
        )
    },
    "api:transfer-case-review": Access(
        roles=INMATE_READERS, methods=ACTION, write_roles=INMATE_WRITERS
    ),
    "api:transport-batch-departure": Access(
        roles=INMATE_READERS, methods=ACTION, write_roles=INMATE_WRITERS
    ),
    "api:transport-batch-arrival": Access(
        roles=INMATE_READERS, methods=ACTION, write_roles=PLACEMENT_WRITERS
    ),
    "api:transfer-case-appeal-outcome": Access(
        roles=INMATE_READERS, methods=ACTION, write_roles=INMATE_WRITERS
    ),
    "api:transfer-case-release-preparation": Access(
        roles=INMATE_READERS, methods=READ | {"PUT"}, write_roles=INMATE_WRITERS
    ),
    # The manifest handed to the host prison (a disclosure, logged per person).
    "api:transport-batch-manifest": Access(roles=KEEP_APART_WRITERS),
    "api:eligibility-rules": Access(roles=INMATE_READERS),
    "api:transport-batch-list": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:transport-batch-detail": Access(roles=INMATE_READERS),
    "api:transfer-case-letters": Access(
        roles=INMATE_READERS, methods=READ | {"POST"}, write_roles=INMATE_WRITERS
    ),
    "api:transport-batch-letters": Access(roles=INMATE_WRITERS, methods=ACTION),
    "api:letter-job-detail": Access(roles=INMATE_WRITERS),
    "api:candidate-intake-list": Access(roles=INMATE_WRITERS, methods=frozenset({"POST"})),
    "api:candidate-intake-detail": Access(roles=INMATE_WRITERS),
    "api:programme-report": Access(roles=PROGRAMME_READERS),
    "api:programme-report-cases": Access(roles=INMATE_READERS),
    # --- transfers API (end)
    # --- audit API (begin): owned by the audit work
    # --- audit API (end)
    "api:occupancy": Access(roles=OCCUPANCY_READERS),
    "api:roll": Access(roles=CELLS_READERS),
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

# The Django admin checks is_staff itself; the policy only keeps everyone else out of it.
ADMIN_NAMESPACE = "admin"
ADMIN_ACCESS = Access(roles=frozenset({SYSTEM_ADMIN}), methods=READ_WRITE)


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
