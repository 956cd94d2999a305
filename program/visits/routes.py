"""Family contact's routes and who may reach them (merged into program.core.policy.ROUTES).

Host-facility staff see and book their facility's visit schedule; caseworkers request and see
the visits of their cases; the governor and the auditor read. Finance roles never reach a
person's visits (the travel grant shows them only the visit's date and the visitors' relation).
The selectors narrow each role to its own facility or cases.
"""

from program.core.policy import ACTION, FORM, READ, Access

ROUTES: dict[str, Access] = {
    "visits:list": Access("visit.read"),
    "visits:person": Access("visit.read"),
    "visits:detail": Access("visit.read"),
    "visits:request": Access("visit.request", methods=FORM),
    "visits:book": Access("visit.book", methods=FORM),
    "visits:outcome": Access("visit.request", methods=FORM),
    "api:visit-list": Access("visit.read", methods=READ | {"POST"}, write="visit.request"),
    "api:visit-detail": Access("visit.read"),
    "api:visit-book": Access("visit.read", methods=ACTION, write="visit.book"),
    "api:visit-outcome": Access("visit.read", methods=ACTION, write="visit.request"),
    "api:visit-contact-counts": Access("visit.read"),
}
