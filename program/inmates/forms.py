"""Forms of the inmate pages: input fields and their own validation, nothing more.

The rules across fields live in PostgreSQL and are reported by the services; the views put a
service's error next to the field it names.
"""

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from program.core.forms import DateField
from program.inmates import selectors
from program.inmates.csv_import import MAX_BYTES
from program.inmates.models import (
    INMATE_EDITABLE_FIELDS,
    JUDGMENT_INPUTS,
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
)
from program.inmates.services import CONSTRAINT_FIELDS


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _style(fields: dict[str, forms.Field]) -> None:
    """The DKFDS classes on each widget, so templates can render fields as they come."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.DateInput) and not isinstance(widget, _DateInput):
            field.widget = widget = _DateInput(attrs=widget.attrs)
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-checkbox"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.FileInput):
            continue  # DKFDS styles the file input itself
        else:
            css = "form-input"
        widget.attrs.setdefault("class", css)


class _ModelForm(forms.ModelForm[Any]):
    """A ModelForm whose CHECK-constraint errors appear at the field the constraint is about.

    Django evaluates a model's CHECK constraints while validating a ModelForm and reports them
    for the whole form; moving each message to its field lets the error summary link to it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.fields)

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        form_wide = self.errors.get(NON_FIELD_ERRORS)
        if not form_wide:
            return
        for constraint in self._meta.model._meta.constraints:
            field = CONSTRAINT_FIELDS.get(constraint.name)
            message = str(constraint.get_violation_error_message())
            if field in self.fields and message in form_wide:
                form_wide.data = [e for e in form_wide.data if message not in _messages(e)]
                self.add_error(field, message)
        if not form_wide:
            del self.errors[NON_FIELD_ERRORS]


def _messages(error: Any) -> list[str]:
    return [str(m) for m in getattr(error, "messages", [error])]


class InmateForm(_ModelForm):
    class Meta:
        model = Inmate
        fields = list(INMATE_EDITABLE_FIELDS)
        help_texts = {
            "languages": _("Separate languages with commas, for example: Danish, Arabic."),
            "nationalities": _("Hold Ctrl (Cmd on a Mac) to choose more than one."),
        }
        widgets = {"return_readmits_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = Country.objects.order_by("name")
        nationalities = cast(
            "forms.ModelMultipleChoiceField[Country]", self.fields["nationalities"]
        )
        nationalities.queryset = countries
        nationalities.widget.attrs["size"] = 8
        country_of_return = cast(
            "forms.ModelChoiceField[Country]", self.fields["country_of_return"]
        )
        country_of_return.queryset = countries
        country_of_return.empty_label = _("Not decided")
        readmits = cast(forms.TypedChoiceField, self.fields["return_readmits"])
        readmits.choices = [("", _("As the country (no override)")), *Inmate.Readmission.choices]


class _VersionedEdit(forms.ModelForm[Any]):
    """An edit form carries the version of the record it was opened at, so saving over a change
    someone made meanwhile is refused instead of overwriting it (program/core/versioning)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("This form has lost track of the record's version; reload the page."),
            "invalid": _("This form has lost track of the record's version; reload the page."),
            "min_value": _("This form has lost track of the record's version; reload the page."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version


class InmateEditForm(_VersionedEdit, InmateForm):
    pass


class JudgmentForm(_ModelForm):
    class Meta:
        model = Judgment
        fields = JUDGMENT_INPUTS
        widgets = {"offence_categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most sentences are served one after the other: left as it is, it says so.
        self.fields["runs"].required = False

    def clean_runs(self) -> str:
        return self.cleaned_data.get("runs") or Judgment.Runs.CONSECUTIVE


class ExpulsionOrderForm(_ModelForm):
    class Meta:
        model = ExpulsionOrder
        fields = ["ordered_on", "final", "entry_ban_years", "entry_ban_permanent", "revoked_on"]
        help_texts = {
            "entry_ban_years": _("Leave empty for a permanent ban or no ban."),
        }


class JudgmentEditForm(_VersionedEdit, JudgmentForm):
    pass


class ExpulsionOrderEditForm(_VersionedEdit, ExpulsionOrderForm):
    pass


class NonAssociationForm(forms.Form):
    other_case_number = forms.CharField(
        label=_("Keep apart from (case number)"),
        max_length=30,
        help_text=_("The case number of the other inmate."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=NonAssociation.Scope.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = DateField(label=_("From"))
    ends_on = DateField(
        label=_("To"),
        required=False,
        help_text=_("The first day they may share again. Leave empty for until further notice."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.fields)
        self.other: Inmate | None = None

    def clean_other_case_number(self) -> str:
        case_number: str = self.cleaned_data["other_case_number"].strip()
        self.other = selectors.inmate_by_case_number(case_number=case_number)
        if self.other is None:
            raise forms.ValidationError(
                _("No inmate has case number %(case)s."), params={"case": case_number}
            )
        return case_number


class NonAssociationEndForm(forms.Form):
    ends_on = DateField(label=_("Ends on"), help_text=_("The first day the two may share again."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.fields)


PLACED_CHOICES = [("", _("Placed or not")), ("yes", _("Placed now")), ("no", _("Not placed"))]
FLAG_CHOICES = [
    ("interpreter", _("Needs an interpreter")),
    ("medical", _("Medical needs")),
    ("children", _("Minor children who visit")),
]
ORDER_CHOICES = [
    ("name", _("Name")),
    ("-name", _("Name, Z to A")),
    ("case_number", _("Case number")),
    ("-case_number", _("Case number, descending")),
    ("release_date", _("Release date, earliest first")),
    ("-release_date", _("Release date, latest first")),
]


class InmateFilterForm(forms.Form):
    search = forms.CharField(label=_("Name or case number"), required=False, max_length=200)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    institution = forms.ChoiceField(label=_("Home institution"), required=False)
    release_from = DateField(label=_("Release from"), required=False)
    release_to = DateField(label=_("Release to"), required=False)
    flags = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    placed = forms.ChoiceField(label=_("Placement"), choices=PLACED_CHOICES, required=False)
    order = forms.ChoiceField(
        label=_("Sort by"), choices=ORDER_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        nationalities: list[tuple[str, str]],
        institutions: list[str],
        minimised: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _style(self.fields)
        if minimised:
            # What placing needs: the medical-observation alert, not the family detail.
            flags = cast(forms.MultipleChoiceField, self.fields["flags"])
            flags.choices = [
                (key, _("Needs medical observation") if key == "medical" else label)
                for key, label in FLAG_CHOICES
                if key != "children"
            ]
        nationality = cast(forms.ChoiceField, self.fields["nationality"])
        nationality.choices = [("", _("Any nationality")), *nationalities]
        institution = cast(forms.ChoiceField, self.fields["institution"])
        institution.choices = [("", _("Any institution")), *((i, i) for i in institutions)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("release_from"), data.get("release_to")
        if start and end and end < start:
            self.add_error("release_to", _("The end of the window is before its start."))
        return data

    def selector_arguments(self) -> dict[str, Any]:
        """The cleaned filters as selectors.inmate_list's keyword arguments."""
        data = self.cleaned_data
        return {
            "search": data.get("search") or "",
            "nationality": data.get("nationality") or "",
            "institution": data.get("institution") or "",
            "release_from": data.get("release_from"),
            "release_to": data.get("release_to"),
            "flags": data.get("flags") or [],
            "placed": {"yes": True, "no": False}.get(data.get("placed") or ""),
            "order": data.get("order") or "name",
        }


class InmateImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Comma-separated, UTF-8, at most 12 MB, with the columns listed below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self.fields)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 12 MB; split it into smaller files.")
            )
        return upload
