"""The route policy: every page and API route, by URL name, with the roles and methods allowed.

This one table is enforced for pages by RoutePolicyMiddleware and for the API by
RoutePolicyPermission. A route missing from it is refused for everyone (fail closed), and a test
walks every URL pattern to prove nothing is missing. Read it as the answer to "who may reach what".
"""

from dataclasses import dataclass

from program.core.roles import SYSTEM_ADMIN, Role

READ = frozenset({"GET", "HEAD", "OPTIONS"})
READ_WRITE = READ | {"POST", "PUT", "PATCH", "DELETE"}
FORM = READ | {"POST"}

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
OPERATIONS = frozenset({Role.OCCUPANCY_ADMIN, Role.AUDITOR, SYSTEM_ADMIN})


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] = frozenset()
    methods: frozenset[str] = READ
    public: bool = False  # no sign-in needed
    any_signed_in: bool = False  # every signed-in user, with or without a role

    def allows_method(self, method: str) -> bool:
        return method.upper() in self.methods

    def admits(self, roles: frozenset[str], *, signed_in: bool) -> bool:
        return self.public or (
            signed_in and (self.any_signed_in or not roles.isdisjoint(self.roles))
        )


PUBLIC = Access(methods=FORM, public=True)
SIGNED_IN = Access(any_signed_in=True)

ROUTES: dict[str, Access] = {
    # Signing in and out, health: reachable before a role is known.
    "login": PUBLIC,
    "logout": Access(methods=FORM, any_signed_in=True),
    "healthz": Access(public=True),
    # Pages
    "home": SIGNED_IN,
    "system-status": Access(roles=OPERATIONS),
    "cells:agreement-list": Access(roles=PROGRAMME_READERS),
    "cells:agreement-detail": Access(roles=PROGRAMME_READERS),
    "cells:facility-list": Access(roles=CELLS_READERS),
    "cells:facility-detail": Access(roles=CELLS_READERS),
    "finance:terms": Access(roles=FINANCE_READERS),
    # API
    "api:schema": Access(roles=EVERY_ROLE),
    "api-docs": Access(roles=EVERY_ROLE),
    "api:me": SIGNED_IN,
    "api:system-status": Access(roles=OPERATIONS),
    "api:agreement-list": Access(roles=PROGRAMME_READERS),
    "api:agreement-detail": Access(roles=PROGRAMME_READERS),
    "api:facility-list": Access(roles=CELLS_READERS),
    "api:facility-detail": Access(roles=CELLS_READERS),
    "api:cell-list": Access(roles=CELLS_READERS),
    "api:cell-detail": Access(roles=CELLS_READERS),
    "api:pricing-terms-list": Access(roles=FINANCE_READERS),
    "api:pricing-terms-detail": Access(roles=FINANCE_READERS),
    "api:aid-stream-list": Access(roles=FINANCE_READERS),
    "api:aid-stream-detail": Access(roles=FINANCE_READERS),
}

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


def allows(view_name: str, roles: frozenset[str]) -> bool:
    """Whether a signed-in user holding these roles may reach the route (navigation and panels)."""
    access = access_for(view_name)
    return access is not None and access.admits(roles, signed_in=True)
