"""The report's choice of programme and period (a GET form: the report is a read)."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from program.cells.models import Agreement
from transfers.report.periods import period_choices


class ReportForm(forms.Form):
    programme = forms.TypedChoiceField(
        label=_("Programme"),
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        help_text=_("A calendar year or quarter."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, agreements: list[Agreement], today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            (a.pk, a.name) for a in agreements
        ]
        first_year = min((a.signed_on.year for a in agreements), default=today.year)
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            (p.code, p.label) for p in period_choices(today=today, first_year=first_year)
        ]
