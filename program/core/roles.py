"""The roles people hold, as Django groups, and the model permissions each group carries.

A role is a group membership; the route policy (policy.py) decides what each role may reach. The
model permissions below mirror that policy for the Django admin and for reporting who may do what.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    OCCUPANCY_ADMIN = "occupancy_admin", _("Occupancy administrator")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    FINANCE_APPROVER = "finance_approver", _("Finance approver")
    AUDITOR = "auditor", _("Auditor")
    # The host facility's own staff, posted to one facility (program.host.StaffPosting): they
    # see only what the work at that facility needs (docs/host-facility.md).
    HOST_OFFICER = "host_officer", _("Host-facility officer")
    HOST_MANAGER = "host_manager", _("Host-facility management")
    # The Danish governor of the facility: reviews incidents and answers for life inside it.
    GOVERNOR = "governor", _("Governor")
    # Prison health staff: the only role that reads the health details of a handover.
    HEALTH_STAFF = "health_staff", _("Health staff")


# Not a group: the Django superuser flag, for the people who manage users and the system itself.
SYSTEM_ADMIN = "system_admin"

# The language a user who never chose reads when every role they hold defaults to it (applied
# unless settings.ROLE_LANGUAGES_APPLY is off, as in the test suite): the host facility's
# staff read Albanian (docs/i18n.md).
ROLE_LANGUAGES: dict[str, str] = {Role.HOST_OFFICER.value: "sq", Role.HOST_MANAGER.value: "sq"}

ROLE_LABELS: dict[str, str | Promise] = {
    **{role.value: role.label for role in Role},
    SYSTEM_ADMIN: _("System administrator"),
}

_PROGRAMME_READ = ["cells.view_agreement", "cells.view_facility", "cells.view_unit"]
_CELLS_READ = [*_PROGRAMME_READ, "cells.view_cell", "cells.view_place", "cells.view_rampupcap"]
_FINANCE_READ = [
    "finance.view_pricingterms",
    "finance.view_aidstream",
    "finance.view_tranche",
    "finance.view_tranchecondition",
    "finance.view_trancheapproval",
    "finance.view_payment",
    "finance.view_trancheevent",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CASEWORKER: [*_PROGRAMME_READ],
    Role.OCCUPANCY_ADMIN: [*_CELLS_READ, "core.view_heartbeat"],
    Role.FINANCE_OFFICER: [*_PROGRAMME_READ, *_FINANCE_READ],
    Role.FINANCE_APPROVER: [*_PROGRAMME_READ, *_FINANCE_READ],
    Role.AUDITOR: [*_CELLS_READ, *_FINANCE_READ, "core.view_heartbeat"],
    Role.HOST_OFFICER: [*_PROGRAMME_READ],
    Role.HOST_MANAGER: [*_PROGRAMME_READ],
    Role.GOVERNOR: [*_PROGRAMME_READ],
    Role.HEALTH_STAFF: [*_PROGRAMME_READ],
}


def roles_from_names(group_names: Iterable[str], *, is_superuser: bool) -> frozenset[str]:
    """The roles a user with these groups (and superuser flag) holds."""
    return frozenset(
        {name for name in group_names if name in Role.values}
        | ({SYSTEM_ADMIN} if is_superuser else set())
    )


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles of a signed-in user (memoised on the user object for the request).

    A page request's user comes with them (program.core.request_user loads the group names in
    the user's own query); a user loaded any other way costs one query here, once.
    """
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_role_cache", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
        cached = roles_from_names(names, is_superuser=getattr(user, "is_superuser", False))
        user._role_cache = cached  # type: ignore[attr-defined]
    return cached


def role_labels(roles: Iterable[str]) -> list[str]:
    return [str(ROLE_LABELS[role]) for role in sorted(roles) if role in ROLE_LABELS]


@transaction.atomic
def roles_sync() -> None:
    """Create each role's group and set its permissions to exactly ROLE_PERMISSIONS; idempotent."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
