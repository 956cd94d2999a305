"""The handover's routes and who may reach them (merged into program.core.policy.ROUTES).

Everyone who handles a person on a transport reads the record (host staff: only those handed
over to their facility, narrowed by the selector); the caseworker fills in the alerts, completes
and records the escort's acknowledgment; health staff write the health details; the receiving
facility's staff acknowledge on arrival (handover/capabilities.py). The services check the same
capabilities themselves.
"""

from program.core.policy import ACTION, FORM, READ_WRITE, Access

ROUTES: dict[str, Access] = {
    # --- handover pages (begin)
    "handover:list": Access("handover.read"),
    "handover:for-case": Access("handover.read", methods=FORM, write="handover.prepare"),
    "handover:detail": Access("handover.read"),
    "handover:edit": Access("handover.alerts.edit", methods=FORM),
    "handover:health": Access("handover.health.edit", methods=FORM),
    "handover:complete": Access("handover.read", methods=ACTION, write="handover.complete"),
    "handover:escort": Access("handover.read", methods=ACTION, write="handover.escort.record"),
    "handover:arrival": Access(
        "handover.read", methods=ACTION, write="handover.arrival.acknowledge"
    ),
    "handover:correct": Access("handover.read", methods=ACTION, write="handover.prepare"),
    # --- handover pages (end)
    # --- handover API (begin)
    "api:handover-list": Access(
        "handover.read",
        methods=frozenset({"GET", "HEAD", "OPTIONS", "POST"}),
        write="handover.prepare",
    ),
    "api:handover-detail": Access(
        "handover.read", methods=READ_WRITE - {"PUT", "POST", "DELETE"}, write="handover.prepare"
    ),
    "api:handover-complete": Access("handover.complete", methods=ACTION),
    "api:handover-acknowledge-escort": Access("handover.escort.record", methods=ACTION),
    "api:handover-acknowledge-arrival": Access("handover.arrival.acknowledge", methods=ACTION),
    "api:handover-correct": Access("handover.prepare", methods=ACTION),
    # --- handover API (end)
}
