"""Who may do what: named capabilities, each held by a set of roles.

The one place that says which role may do what. The route policy names the capability each
route needs to be read and written; services check the capability of the action they perform
(`require`); views and templates ask `can` (the `can` template filter); queues and notices
find whom to tell with `users_with`. Outside this module, the apps' own `capabilities.py`
modules and the role definitions, no code names a role (tests/core/test_capabilities.py scans
for it).

Each app declares its capabilities in `<app>/capabilities.py` (a `CAPABILITIES` dict of
name to roles), merged here on first use; a name declared twice stops start-up.
"""

import importlib
import importlib.util
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext as _

from program.core.errors import PermissionRefusedError
from program.core.roles import ROLE_LABELS, SYSTEM_ADMIN, Role, user_roles

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

EVERY_ROLE = frozenset({*Role.values, SYSTEM_ADMIN})
# Everyone who works in the programme office (the host facility's staff, the governor and
# health staff read only what their own work needs).
PROGRAMME_STAFF = frozenset(
    {
        Role.CASEWORKER,
        Role.OCCUPANCY_ADMIN,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.AUDITOR,
    }
)

# The capabilities of the core itself; the apps add theirs.
CAPABILITIES: dict[str, frozenset[str]] = {
    # The programme's agreements, facilities and units, and the programme a user works in.
    "programme.read": PROGRAMME_STAFF,
    # The machine-readable API description.
    "api.docs.read": EVERY_ROLE,
    # The system's health: workers, queues, heartbeats.
    "system.status.read": frozenset({Role.OCCUPANCY_ADMIN, Role.AUDITOR, SYSTEM_ADMIN}),
    # The Django admin (which checks is_staff itself).
    "admin.use": frozenset({SYSTEM_ADMIN}),
}

_APP_PREFIXES = ("program.", "transfers", "finance")
_registry: dict[str, frozenset[str]] | None = None


def _load() -> dict[str, frozenset[str]]:
    merged = {name: frozenset(roles) for name, roles in CAPABILITIES.items()}
    for app in settings.INSTALLED_APPS:
        if not app.startswith(_APP_PREFIXES) or app == "program.core":
            continue
        module_name = f"{app}.capabilities"
        if importlib.util.find_spec(module_name) is None:
            continue
        declared: dict[str, frozenset[str]] = importlib.import_module(module_name).CAPABILITIES
        clash = declared.keys() & merged.keys()
        if clash:
            raise ImproperlyConfigured(f"{module_name} declares capabilities twice: {clash}")
        merged.update({name: frozenset(roles) for name, roles in declared.items()})
    unknown = {role for roles in merged.values() for role in roles} - EVERY_ROLE
    if unknown:
        raise ImproperlyConfigured(f"capabilities name unknown roles: {unknown}")
    return merged


def registry() -> dict[str, frozenset[str]]:
    """Every capability, by name, with the roles that hold it."""
    global _registry
    if _registry is None:
        _registry = _load()
    return _registry


def roles_with(capability: str) -> frozenset[str]:
    """The roles that hold a capability; an unknown name is a programming error."""
    try:
        return registry()[capability]
    except KeyError:
        raise ImproperlyConfigured(f"unknown capability: {capability!r}") from None


def holds(roles: Iterable[str], capability: str) -> bool:
    """Whether someone holding these roles holds the capability."""
    return not roles_with(capability).isdisjoint(roles)


def can(user: AbstractBaseUser | AnonymousUser | None, capability: str, obj: Any = None) -> bool:
    """Whether the user may do what the capability names.

    `obj` is the record the action is about; the capability itself is the same for every
    record (the selectors narrow which records a role sees, e.g. a host officer's facility),
    so it is accepted for the callers' clarity and not consulted here.
    """
    if user is None or not user.is_authenticated:
        return False
    return holds(user_roles(user), capability)


def users_with(capability: str) -> "QuerySet[Any]":
    """The active users who hold the capability: whom to tell, whose queue it is."""
    roles = roles_with(capability)
    who = Q(groups__name__in=sorted(roles - {SYSTEM_ADMIN}))
    if SYSTEM_ADMIN in roles:
        who |= Q(is_superuser=True)
    return get_user_model()._default_manager.filter(who, is_active=True).distinct()


def holder_names(capability: str) -> str:
    """The names of the roles that hold a capability, for a refusal's message."""
    return ", ".join(sorted(str(ROLE_LABELS[role]) for role in roles_with(capability)))


def require(
    user: AbstractBaseUser | AnonymousUser | None,
    capability: str,
    what: "StrOrPromise | None" = None,
    *,
    error: type[PermissionRefusedError] = PermissionRefusedError,
) -> None:
    """Refuse (PermissionRefusedError, HTTP 403) unless the user holds the capability.

    `what` is the action in words ("approve a tranche"), for the message; `error` lets an app
    raise its own subclass that its callers already catch.
    """
    if can(user, capability):
        return
    if what is None:
        message = _("You may not do this.")
    else:
        message = _("Only %(roles)s may %(what)s.") % {
            "roles": holder_names(capability),
            "what": what,
        }
    raise error(message, details={"roles": sorted(roles_with(capability))})
