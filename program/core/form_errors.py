"""A service's refusal shown on the form that asked for it, the same way on every page.

Services raise ApplicationError with one sentence that says what is wrong and how to put it
right, and `details` keyed by the input they refused. The sentence goes next to each visible
field the details name (the form's error summary links there), or above the form when they
name none it shows. The details' values are never shown: they are for API clients, often codes
("required", "future") rather than sentences in the reader's language.
"""

from collections.abc import Mapping

from django.forms import BaseForm

from program.core.errors import ApplicationError


def show_refusal(
    form: BaseForm,
    error: ApplicationError,
    *,
    aliases: Mapping[str, str] | None = None,
    above: bool = True,
) -> None:
    """Put `error` on `form`. `aliases` maps a service's input name to the form field that
    carries it, where the two differ. With `above=False` a refusal that names no field is left
    to the caller, for pages that show it in their own banner."""
    aliases = aliases or {}
    placed = False
    for key in error.details or {}:
        name = aliases.get(key, key)
        field = form.fields.get(name)
        if field is None or field.widget.is_hidden:
            continue
        placed = True
        if error.message not in form.errors.get(name, ()):
            form.add_error(name, error.message)
    if above and not placed:
        form.add_error(None, error.message)
