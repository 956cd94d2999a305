"""Who reads what of a handover: the alerts and what to do, everyone who handles the person; the
health details (field tag HEALTH), health staff only. Pages, the API and its schema ask here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from program.core.capabilities import can


def sees_health_details(user: AbstractBaseUser | AnonymousUser) -> bool:
    return can(user, "handover.health.read")
