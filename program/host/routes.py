"""The host facility's routes and who may reach them (merged into program.core.policy.ROUTES).

Only the host facility's own staff: what they see is scoped to their posting, and nothing here
carries a conviction, an offence or a health field (docs/host-facility.md).
"""

from program.core.policy import ACTION, FORM, Access

ROUTES: dict[str, Access] = {
    "host:roll": Access("host.work"),
    "host:arrivals": Access("host.work"),
    # The check-in page and its admission (GET the person, POST admit).
    "host:check-in": Access("host.work", methods=FORM),
    "host:refuse": Access("host.work", methods=ACTION),
    "host:headcount": Access("host.work", methods=FORM),
    "host:overview": Access("host.overview.read"),
}
