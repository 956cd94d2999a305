from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from program.tokens import services

# The offered lifetimes; the longest is the setting API_TOKEN_MAX_DAYS (90 by default).
LIFETIMES = (7, 30, 60, 90, 180, 365)


def lifetime_choices() -> list[tuple[int, str]]:
    return [
        (days, ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in LIFETIMES
        if days <= services.max_days()
    ]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_(
            "Where the token is used, so you know which one to revoke, e.g. “Roll export”."
        ),
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=30,
        help_text=_("After this the token stops working; make a new one then."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["days"].choices = lifetime_choices()  # type: ignore[attr-defined]
