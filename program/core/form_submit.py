"""One user action from a page's form: checked, done by a service in its transaction, or refused.

Every page that writes follows the same steps: on GET show the form; on POST check it (400 with
each field's problem when it does not fit), hand the cleaned values to the service, and either go
on (the caller redirects, with its message) or show the service's refusal on the form with the
refusal's status. A page sends no If-Match, so a form read before someone else's change is a
plain conflict (409), not a failed precondition (412). The form's error summary (the shared
form templates) takes the focus and links to each field.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.forms import BaseForm
from django.http import HttpRequest

from program.core.errors import ApplicationError, PreconditionFailedError
from program.core.form_errors import show_refusal

Done = TypeVar("Done")


@dataclass(frozen=True)
class Submission(Generic[Done]):
    """What became of the request: whether the service acted, and what it returned."""

    status: int
    acted: bool = False
    done: Done | None = None


def refusal_status(error: ApplicationError) -> int:
    return 409 if isinstance(error, PreconditionFailedError) else error.http_status


def submit(
    request: HttpRequest,
    form: BaseForm,
    perform: Callable[[dict[str, Any]], Done],
    *,
    aliases: Mapping[str, str] | None = None,
    above: bool = True,
) -> Submission[Done]:
    """Run `perform` with the form's cleaned values when the request is a POST and the form is
    valid. `aliases` and `above` as in show_refusal."""
    if request.method != "POST":
        return Submission(200)
    if not form.is_valid():
        return Submission(400)
    try:
        return Submission(200, acted=True, done=perform(dict(form.cleaned_data)))
    except ApplicationError as error:
        show_refusal(form, error, aliases=aliases, above=above)
        return Submission(refusal_status(error))
