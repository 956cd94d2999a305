"""The form to make a case letter: it parses; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from transfers.letters.kinds import CASE_KINDS
from transfers.letters.models import LetterKind


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=[(kind, LetterKind(kind).label) for kind in CASE_KINDS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reasons = forms.CharField(
        label=_("Reasons (Danish)"),
        required=False,
        max_length=5000,
        help_text=_("Needed for a decision and an appeal outcome: the letter gives them."),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 4}),
    )
    reasons_translation = forms.CharField(
        label=_("Reasons in the inmate's language"),
        required=False,
        max_length=5000,
        help_text=_("Without it, the Danish reasons are repeated in the second language's part."),
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 3}),
    )
    notify_on = forms.DateField(
        label=_("To be handed to the inmate on"),
        required=False,
        help_text=_("The appeal deadline is counted from this day until the case is notified."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}),
    )

    def __init__(self, *args: object, kinds: list[tuple[str, str]] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if kinds is not None:
            self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
