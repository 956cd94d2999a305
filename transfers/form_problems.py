"""A refused form of a case page, told in one flash message: the page redirects back to the case,
so the errors cannot stand beside their fields."""

from django import forms


def form_problems(form: forms.BaseForm) -> str:
    """Each field's errors after its label (an error of the whole form after its key)."""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: "
        + " ".join(str(error) for error in errors)
        for name, errors in form.errors.items()
    )
