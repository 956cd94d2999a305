"""The programme's cells, places and placements: who may do what (merged by
program.core.capabilities)."""

from program.core.roles import Role

_OCCUPANCY_OFFICE = frozenset({Role.OCCUPANCY_ADMIN})

CAPABILITIES: dict[str, frozenset[str]] = {
    # Units, cells, places and the roll, with the people in them.
    "cells.read": frozenset({Role.OCCUPANCY_ADMIN, Role.CASEWORKER, Role.AUDITOR}),
    # Aggregate occupancy (no names): finance needs it for the cost of an occupied place-day.
    "occupancy.read": frozenset(
        {
            Role.OCCUPANCY_ADMIN,
            Role.CASEWORKER,
            Role.AUDITOR,
            Role.FINANCE_OFFICER,
            Role.FINANCE_APPROVER,
        }
    ),
    # The programme office records and amends agreements, facilities and ramp-up caps.
    "programme.manage": _OCCUPANCY_OFFICE,
    "placement.admit": _OCCUPANCY_OFFICE,
    "placement.reserve": _OCCUPANCY_OFFICE,
    "placement.move": _OCCUPANCY_OFFICE,
    "placement.release": _OCCUPANCY_OFFICE,
    "reservation.cancel": _OCCUPANCY_OFFICE,
    "outage.manage": _OCCUPANCY_OFFICE,
    # Told of arrivals coming, reservations running out and places to free; their queues.
    "occupancy.notified": _OCCUPANCY_OFFICE,
}
