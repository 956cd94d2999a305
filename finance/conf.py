"""Finance settings, read from Django settings with typed defaults from the environment.

FINANCE_APPROVAL_LEVELS and FINANCE_OVERDUE_GRACE_DAYS may be set in program/settings.py; where
they are not, the environment (or these defaults) decides.
"""

from django.conf import settings

from program.env import EnvError, env_int

DEFAULT_APPROVAL_LEVELS = 2
DEFAULT_OVERDUE_GRACE_DAYS = 30


def approval_levels() -> int:
    """How many different approvers a tranche needs before it may be paid (1 or 2)."""
    levels = getattr(
        settings,
        "FINANCE_APPROVAL_LEVELS",
        env_int("FINANCE_APPROVAL_LEVELS", DEFAULT_APPROVAL_LEVELS),
    )
    if levels not in (1, 2):
        raise EnvError(f"FINANCE_APPROVAL_LEVELS must be 1 or 2, not {levels!r}.")
    return int(levels)


def overdue_grace_days() -> int:
    """Days after its due date that a due, uninvoiced tranche becomes overdue."""
    days = getattr(
        settings,
        "FINANCE_OVERDUE_GRACE_DAYS",
        env_int("FINANCE_OVERDUE_GRACE_DAYS", DEFAULT_OVERDUE_GRACE_DAYS),
    )
    if days < 0:
        raise EnvError(f"FINANCE_OVERDUE_GRACE_DAYS must be 0 or more, not {days!r}.")
    return int(days)
