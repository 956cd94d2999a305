"""Forms for inspections, findings and actions. They parse what was typed; the services decide.

Field names match the services' keyword arguments, so a refusal naming a field (its `details`)
is shown next to that field. Forms that change a row carry the version it was loaded with.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from program.cells.models import Cell, Facility, Unit
from program.core.forms import DateField
from program.inmates.models import Inmate
from program.inspections.models import Finding, FindingAction, Inspection, InspectionBody

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_INPUT = {"class": "form-input"}
_SELECT = {"class": "form-select"}
_AREA = {"class": "form-input", "rows": "4"}


def _text(
    label: "StrOrPromise",
    *,
    required: bool = False,
    area: bool = False,
    help_text: "StrOrPromise" = "",
    max_length: int = 200,
) -> forms.CharField:
    # Whether a text is needed is mostly the service's rule, and its message.
    return forms.CharField(
        label=label,
        required=required,
        max_length=4000 if area else max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=_AREA) if area else forms.TextInput(attrs=_INPUT),
    )


class InspectionForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Inspection body"),
        queryset=InspectionBody.objects.order_by("name"),
        widget=forms.Select(attrs=_SELECT),
    )
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.order_by("name"),
        widget=forms.Select(attrs=_SELECT),
    )
    kind = forms.ChoiceField(
        label=_("Kind of visit"), choices=Inspection.Kind.choices, widget=forms.RadioSelect
    )
    starts_on = DateField(label=_("First day of the visit"))
    ends_on = DateField(label=_("Last day of the visit"))
    reference = _text(_("The body's reference"), max_length=100)
    report = forms.FileField(
        label=_("Report"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB; add it once the report is out."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-file-input", "accept": ".pdf,.png,.jpg,.jpeg"}
        ),
    )
    published_on = DateField(label=_("Report published on"), required=False)
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, inspection: Inspection | None = None, **kwargs: Any) -> None:
        if inspection is not None:
            kwargs.setdefault(
                "initial",
                {
                    "body": inspection.body_id,
                    "facility": inspection.facility_id,
                    "kind": inspection.kind,
                    "starts_on": inspection.starts_on,
                    "ends_on": inspection.ends_on,
                    "reference": inspection.reference,
                    "published_on": inspection.published_on,
                    "expected_version": inspection.version,
                },
            )
        super().__init__(*args, **kwargs)


class FindingForm(forms.Form):
    title = _text(
        _("Title"),
        required=True,
        help_text=_("Short and without names: finance staff see it where it holds back a payment."),
    )
    text = _text(_("What the inspection found"), required=True, area=True)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Finding.Severity.choices, widget=forms.Select(attrs=_SELECT)
    )
    concerns = forms.ChoiceField(
        label=_("The finding concerns"), choices=Finding.Concerns.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (if it concerns a unit)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    cell = forms.ModelChoiceField(
        label=_("Cell (if it concerns a cell)"),
        queryset=Cell.objects.none(),
        required=False,
        widget=forms.Select(attrs=_SELECT),
    )
    person = forms.CharField(
        label=_("Case number (if it concerns a person)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs=_INPUT),
    )
    practice = _text(_("Practice (if it concerns a practice)"))
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        facility_id: int,
        finding: Finding | None = None,
        **kwargs: Any,
    ) -> None:
        if finding is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": finding.title,
                    "text": finding.text,
                    "severity": finding.severity,
                    "concerns": finding.concerns,
                    "unit": finding.unit_id,
                    "cell": finding.cell_id,
                    "person": finding.person.case_number if finding.person else "",
                    "practice": finding.practice,
                    "expected_version": finding.version,
                },
            )
        super().__init__(*args, **kwargs)
        unit_field: Any = self.fields["unit"]
        unit_field.queryset = Unit.objects.filter(facility_id=facility_id).order_by("code")
        cell_field: Any = self.fields["cell"]
        cell_field.queryset = (
            Cell.objects.filter(unit__facility_id=facility_id)
            .select_related("unit")
            .order_by("unit__code", "number")
        )
        cell_field.label_from_instance = lambda cell: f"{cell.unit.code} · {cell.number}"

    def clean_person(self) -> Inmate | None:
        number = (self.cleaned_data.get("person") or "").strip()
        if not number:
            return None
        person = Inmate.objects.filter(case_number__iexact=number).first()
        if person is None:
            raise forms.ValidationError(_("No person has this case number."))
        return person


class ActionForm(forms.Form):
    title = _text(
        _("Action promised"),
        required=True,
        help_text=_("What will be done, without names (finance staff may see it)."),
    )
    owner = _text(
        _("Owner"), required=True, help_text=_("A post or an office, e.g. the facility's director.")
    )
    deadline = DateField(label=_("Deadline"))


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=FindingAction.Status.choices, widget=forms.Select(attrs=_SELECT)
    )
    done_on = DateField(label=_("Done on"), required=False)
    evidence = _text(
        _("Evidence that it is done"),
        area=True,
        help_text=_("A document's reference, or what was seen and by whom."),
    )
    reason = _text(_("Why it is not accepted"), area=True)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: FindingAction, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"a{action.pk}")
        kwargs.setdefault("initial", {"status": action.status, "expected_version": action.version})
        super().__init__(*args, **kwargs)
        self.action = action
