"""The host facility's forms: the check-in at the gate, the refusal, the headcount. They parse
and label; the rules (identity confirmed, a difference explained) are the services'."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from program.cells.models import Unit
from program.host.models import ArrivalCheck

WHOLE_FACILITY = ""
MAX_TEXT = 2000


def _remarks(*, rows: int, help_text: Any = "") -> forms.CharField:
    """The gate's free-text remarks: the same optional field on the check-in and the refusal."""
    return forms.CharField(
        label=_("Remarks"),
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=MAX_TEXT,
        help_text=help_text,
    )


class CheckInForm(forms.Form):
    identity_confirmed = forms.BooleanField(
        label=_("I have confirmed the person's identity against the photo and the papers"),
        required=False,
    )
    items = forms.MultipleChoiceField(
        label=_("Arrived with the person"),
        choices=ArrivalCheck.Item.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick what was handed over at the gate."),
    )
    remarks = _remarks(
        rows=3,
        help_text=_("Anything missing or damaged, or anything the next shift should know."),
    )


class RefuseForm(forms.Form):
    prefix = "refuse"

    reason = forms.CharField(
        label=_("Reason for refusing the person at the gate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        help_text=_("The person goes back with the escort; the reserved place is freed."),
    )
    remarks = _remarks(rows=2)


class HeadcountForm(forms.Form):
    unit = forms.ChoiceField(label=_("What was counted"), required=False)
    counted = forms.IntegerField(
        label=_("Number of people counted present"), min_value=0, max_value=100000
    )
    reason = forms.CharField(
        label=_("Explanation of a difference from the roll"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
        help_text=_(
            "Required when the count differs from the roll: who is missing or extra, and why."
        ),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (WHOLE_FACILITY, _("The whole facility")),
            *((str(unit.pk), f"{unit.code} {unit.name}") for unit in units),
        ]

    def unit_id(self) -> int | None:
        chosen = self.cleaned_data["unit"]
        return int(chosen) if chosen != WHOLE_FACILITY else None
