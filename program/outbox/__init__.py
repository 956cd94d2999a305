"""The transactional outbox: Celery work queued in PostgreSQL with the action that caused it.

A user action never talks to the broker inside its transaction. It writes an outbox row (task name,
JSON arguments, a unique idempotency key) in the same transaction, so the work is queued exactly
when the action commits. After commit the row is handed to Celery (best effort); a beat task every
few seconds hands over whatever is left, so an action succeeds while Redis is down and its work
runs when Redis returns. A row is done when its task succeeded on a worker; one handed over but
never done (Redis came back empty) is handed over again later. Every task queued this way is
idempotent, so a second run changes nothing.
"""
