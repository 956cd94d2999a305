"""Domain errors. Services raise them; views turn them into messages and the API into its one
error shape ({"error": {"code", "message", "details"}})."""

from typing import Any


class ApplicationError(Exception):
    """A problem the user can understand and usually fix; the message says what and how."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFoundError(ApplicationError):
    code = "not_found"
    http_status = 404


class ConflictError(ApplicationError):
    """An illegal state move or a lost race: the row is not in the state the action needs."""

    code = "conflict"
    http_status = 409
