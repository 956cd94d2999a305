"""Domain errors. Services raise them; views turn them into messages and the API into its one
error shape ({"error": {"code", "message", "details"}})."""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    """A problem the user can understand and usually fix; the message says what and how.

    The message is marked for translation (gettext, or gettext_lazy for one made before the
    language is known) and put into words when raised, in the request's language: the page's
    choice, or for the API its Accept-Language.
    """

    code = "invalid"
    http_status = 400

    def __init__(self, message: "StrOrPromise", *, details: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details or {}


class NotFoundError(ApplicationError):
    code = "not_found"
    http_status = 404


class ConflictError(ApplicationError):
    """An illegal state move or a lost race: the row is not in the state the action needs."""

    code = "conflict"
    http_status = 409


class PreconditionFailedError(ConflictError):
    """The row changed since the caller read it: a stale If-Match (412 over the API) or a stale
    form. A kind of conflict, so pages that show conflicts show this one too."""

    code = "precondition_failed"
    http_status = 412


class PreconditionRequiredError(ApplicationError):
    """A write on a versioned row came without If-Match, so it could overwrite a change the
    caller never saw (RFC 6585 §3)."""

    code = "precondition_required"
    http_status = 428


def database_unreachable(error: BaseException | None) -> bool:
    """Whether an unhandled error is the database being out of reach (down, restarting, its
    connection lost), rather than a bug: the server answers 503 "try again", not 500."""
    from django.db import InterfaceError, OperationalError

    seen = 0
    while error is not None and seen < 10:  # the cause chain, bounded against cycles
        if isinstance(error, InterfaceError | OperationalError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


class PermissionRefusedError(ApplicationError):
    """The actor does not hold the capability the action needs (program.core.capabilities)."""

    code = "permission_denied"
    http_status = 403
