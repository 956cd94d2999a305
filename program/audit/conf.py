"""The audit trail's settings, from the environment, with a floor the environment cannot lower."""

from program.env import EnvError, env_int

# Six months (Digitaliseringsstyrelsen's logging clause). The append-only trigger on the access
# log hard-codes the same floor, so no setting, and no one with the application's database role,
# can delete consultation rows younger than this.
ACCESS_LOG_RETENTION_FLOOR_DAYS = 183


def access_log_retention_days() -> int:
    days = env_int("AUDIT_ACCESS_LOG_RETENTION_DAYS", ACCESS_LOG_RETENTION_FLOOR_DAYS)
    if days < ACCESS_LOG_RETENTION_FLOOR_DAYS:
        raise EnvError(
            "AUDIT_ACCESS_LOG_RETENTION_DAYS must be at least "
            f"{ACCESS_LOG_RETENTION_FLOOR_DAYS} (six months), not {days}."
        )
    return days
