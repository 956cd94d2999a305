"""Forms of the travel-support stream: they parse; the services decide."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finance.travel.selectors import relations_text
from program.cells.models import Agreement
from program.core.forms import DateField, DecimalField
from program.visits import selectors as visit_selectors


class BudgetForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Programme"), queryset=Agreement.objects.order_by("name"), empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = DecimalField(
        label=_("Budget (DKK)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("For example 3.500.000,00."),
    )


class VisitChoiceField(forms.ModelChoiceField[Any]):
    """A visit named by its time, facility and the visitors' relations: never the inmate."""

    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"#{obj.pk} · {when} · {obj.facility.name} · {relations_text(obj)}"


class GrantForm(forms.Form):
    visit = VisitChoiceField(
        label=_("Visit"), queryset=visit_selectors.visits_open_for_travel_support()
    )
    amount = DecimalField(label=_("Amount (DKK)"), max_digits=14, decimal_places=2, min_value=0)
    covers = forms.CharField(
        label=_("What it covers"),
        max_length=300,
        help_text=_("For example: return flights Copenhagen–Pristina for two, two nights' stay."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read afresh for each form: the queryset above is evaluated per request.
        field = self.fields["visit"]
        assert isinstance(field, VisitChoiceField)  # noqa: S101
        field.queryset = visit_selectors.visits_open_for_travel_support()


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (a rejection needs the reason)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PayForm(forms.Form):
    paid_on = DateField(label=_("Paid on"))
    payment_reference = forms.CharField(label=_("Bank reference"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def chosen_year(self) -> int | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("year")
        return None
