"""Forms for the finance actions. They parse what was typed; the services decide.

Field names match the services' keyword arguments, so a refusal naming a field (its `details`)
can be shown next to that field. Each form carries the tranche's version it was loaded with, so a
form opened before someone else moved the tranche is refused instead of acting on a stale page.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.models import PricingTerms, TrancheCondition
from finance.services import Frequency
from program.core.forms import DateField, DecimalField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_INPUT = {"class": "form-input"}
_SELECT = {"class": "form-select"}
_AREA = {"class": "form-input", "rows": "3"}


def _date(label: "StrOrPromise") -> forms.DateField:
    # 03.12.2026 in Danish or ISO; the widget is the browser's date picker.
    return DateField(label=label)


def _eur(label: "StrOrPromise") -> forms.DecimalField:
    # 3.750.000,00 or 3750000.00, read the same (program/core/forms.py).
    return DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("In euro, to the cent, e.g. 3.750.000,00 or 3750000.00."),
    )


def _text(label: "StrOrPromise", *, required: bool = False, area: bool = False) -> forms.CharField:
    # Mostly not required here: whether a text is needed is the service's rule, and its message.
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000 if area else 100,
        widget=forms.Textarea(attrs=_AREA) if area else forms.TextInput(attrs=_INPUT),
    )


class _TrancheForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class GenerateForm(forms.Form):
    terms = forms.TypedChoiceField(
        label=_("Agreement"), coerce=int, widget=forms.Select(attrs=_SELECT)
    )
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=Frequency.choices,
        initial=Frequency.QUARTERLY,
        widget=forms.Select(attrs=_SELECT),
    )
    include_extension = forms.BooleanField(
        label=_("Include the extension period (only once it is confirmed)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read once (one query); a ModelChoiceField would query again for each rendering pass.
        self.terms_by_pk = {
            terms.pk: terms
            for terms in PricingTerms.objects.select_related("agreement").order_by(
                "agreement__signed_on", "pk"
            )
        }
        choices = [(pk, terms.agreement.name) for pk, terms in self.terms_by_pk.items()]
        self.fields["terms"].choices = choices  # type: ignore[attr-defined]

    def clean_terms(self) -> PricingTerms:
        return self.terms_by_pk[self.cleaned_data["terms"]]


class InvoiceForm(_TrancheForm):
    invoice_reference = _text(_("Invoice reference"), required=True)
    invoiced_on = _date(_("Invoice date"))
    amount = _eur(_("Invoiced amount (EUR)"))


class ApproveForm(_TrancheForm):
    comment = _text(_("Approval comment"), area=True)


class RejectForm(_TrancheForm):
    comment = _text(_("Why it is rejected"), area=True)


class PayForm(_TrancheForm):
    paid_on = _date(_("Paid on"))
    bank_reference = _text(_("Bank reference"), required=True)
    amount = _eur(_("Paid amount (EUR)"))
    eur_dkk_rate = DecimalField(
        label=_("EUR→DKK rate that day"),
        max_digits=10,
        decimal_places=6,
        min_value=0,
        help_text=_("Danish kroner per euro, e.g. 7,4600 or 7.4600."),
    )


class DisputeForm(_TrancheForm):
    reason = _text(_("Why it is disputed"), area=True)


class WithholdForm(_TrancheForm):
    reason = _text(_("Why it is withheld"), area=True)


class ConditionForm(forms.Form):
    """Add a release condition to a tranche, or change one (prefixed per condition)."""

    kind = forms.ChoiceField(
        label=_("Condition"),
        choices=TrancheCondition.Kind.choices,
        widget=forms.Select(attrs=_SELECT),
    )
    description = _text(_("What the evidence must show"), area=True)

    def __init__(
        self, *args: Any, condition: TrancheCondition | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"edit{condition.pk}" if condition else "add")
        if condition is not None:
            kwargs.setdefault(
                "initial", {"kind": condition.kind, "description": condition.description}
            )
        super().__init__(*args, **kwargs)
        self.condition = condition


class ConditionEvidenceForm(forms.Form):
    """The evidence for a condition: a file, or the reference of a document kept elsewhere."""

    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB. Or give a reference below."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-file-input", "accept": ".pdf,.png,.jpg,.jpeg"}
        ),
    )
    reference = _text(_("Document reference"))
    note = _text(_("Note"), area=True)

    def __init__(self, *args: Any, condition: TrancheCondition, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"c{condition.pk}")
        super().__init__(*args, **kwargs)
        self.condition = condition


class ReportPeriodForm(forms.Form):
    """The cost report's period, both days included; by default this year and the next."""

    start = DateField(label=_("From"), required=False)
    to = DateField(label=_("To (included)"), required=False)

    def add_prefix(self, field_name: str) -> str:
        # "from" is a Python keyword: the field is `start`, its query parameter `from`.
        return "from" if field_name == "start" else super().add_prefix(field_name)
