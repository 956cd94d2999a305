"""Forms for the transfer pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from program.cells import programmes
from program.core.forms import DateField
from transfers import move_inputs
from transfers.models import (
    Decision,
    Document,
    InmateOpinion,
    ReleasePreparation,
    TransferCase,
    TransportBatch,
)
from transfers.moves import NoInput

# The browser's date picker reads only ISO values, whatever the page's language.
DATE = forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d")
TEXT = forms.TextInput(attrs={"class": "form-input"})


class WorklistForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    scope = forms.ChoiceField(
        label=_("Cases"),
        choices=[("mine", _("My cases")), ("all", _("All cases"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = forms.MultipleChoiceField(
        label=_("State"),
        choices=TransferCase.State.choices,
        required=False,
        # One box per state: a multi-select list needs Ctrl-click and hides what is chosen.
        widget=forms.CheckboxSelectMultiple,
    )
    due_within = forms.IntegerField(
        label=_("Deadline within (days)"),
        min_value=0,
        max_value=365,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-input"}),
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO code)"), max_length=2, required=False, widget=TEXT
    )
    institution = forms.CharField(label=_("Home institution"), required=False, widget=TEXT)
    needs_action = forms.BooleanField(
        label=_("Needs my action"),
        required=False,
        help_text=_("My role's next step, with no clock still running (appeal window, transport)."),
    )
    q = forms.CharField(label=_("Search name, case number or #id"), required=False, widget=TEXT)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("updated", _("Last changed")),
            ("deadline", _("Next deadline")),
            ("name", _("Name")),
            ("state", _("State")),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ProgrammeChoiceMixin:
    """Adds the programme to choose when the install holds several (the user's preselected);
    with one programme there is nothing to choose and the field is left out."""

    fields: dict[str, forms.Field]

    def add_programme(self, user: AbstractBaseUser | AnonymousUser) -> None:
        choices = programmes.programme_list()
        if len(choices[:2]) < 2:
            return
        self.fields["agreement"] = forms.ModelChoiceField(
            label=_("Programme"),
            queryset=choices,
            initial=programmes.user_programme(user),
            # Left out of a post (the person page's button), the service takes the user's own.
            required=False,
            empty_label=None,
            widget=forms.Select(attrs={"class": "form-select"}),
        )


class CaseOpenForm(ProgrammeChoiceMixin, forms.Form):
    case_number = forms.CharField(
        label=_("Inmate's case number"),
        max_length=30,
        widget=TEXT,
        help_text=_(
            "The Prison and Probation Service's case number, for example KF-2026-30022. "
            "Capital or small letters both work."
        ),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_programme(user)


class TransitionForm(forms.Form):
    """A move on the case page: the target, the version read, a reason and a note, and the
    fields of the move's typed input (transfers/moves.py), added from that one declaration."""

    to = forms.ChoiceField(choices=TransferCase.State.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False)
    text = forms.CharField(label=_("Note"), required=False, max_length=500, widget=TEXT)

    def __init__(self, *args: Any, input_type: type = NoInput, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.input_names = [spec.name for spec in move_inputs.fields_of(input_type)]
        move_inputs.add_form_fields(self, input_type)

    def input_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.input_names]


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    reviewed_on = DateField(label=_("Reviewed on"), widget=DATE)
    next_review_on = DateField(label=_("Next review on"), widget=DATE)
    text = forms.CharField(label=_("Note"), required=False, max_length=500, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from transfers.services import REVIEW_OUTCOMES

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = list(REVIEW_OUTCOMES.items())  # type: ignore[attr-defined]


class OpinionForm(forms.ModelForm[InmateOpinion]):
    class Meta:
        model = InmateOpinion
        fields = ["stance", "heard_on", "language", "interpreter_used", "statement"]
        widgets = {"heard_on": DATE}


class DecisionForm(forms.ModelForm[Decision]):
    supersedes_reason = forms.CharField(
        label=_("Why it supersedes the decision in force"),
        required=False,
        max_length=300,
        widget=TEXT,
        help_text=_("Only when a decision is already in force."),
    )

    class Meta:
        model = Decision
        fields = ["outcome", "authority", "legal_basis", "decided_on"]
        widgets = {"decided_on": DATE}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG, at most 10 MB)"))


class BatchForm(ProgrammeChoiceMixin, forms.ModelForm[TransportBatch]):
    class Meta:
        model = TransportBatch
        fields = ["departs_on", "direction", "seats", "escort"]
        widgets = {"departs_on": DATE}

    def __init__(self, *args: Any, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_programme(user)


class ParameterForm(forms.Form):
    value = forms.CharField(label=_("New value"), required=False, widget=TEXT)
    reason = forms.CharField(label=_("Why it changes"), max_length=300, widget=TEXT)


class IntakeForm(forms.Form):
    file = forms.FileField(
        label=_("Candidate file (CSV or XLSX)"),
        help_text=_("UTF-8 CSV or an Excel workbook (first sheet), at most 12 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv", "class": "form-file-input"}
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


class AppealOutcomeForm(forms.Form):
    """The outcome of the inmate's appeal; the version is the one the page was rendered with."""

    outcome = forms.ChoiceField(
        label=_("Appeal outcome"),
        choices=TransferCase.AppealOutcome.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    decided_on = DateField(label=_("Appeal decided on"))
    text = forms.CharField(label=_("Note"), required=False, max_length=500, widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


# The fields of release preparation, as the page edits them.
RELEASE_PREPARATION_FIELDS = [
    "travel_document_status",
    "travel_document_kind",
    "travel_document_issued_on",
    "destination_accepted_on",
    "destination_reference",
    "flight_on",
    "flight_number",
    "escort_note",
]


class ReleasePreparationForm(forms.Form):
    """The three steps of release preparation; the version is the record's as the page read it
    (0 before the first save). A plain form, not a model form: the service checks the steps
    together and names each field (a model form would report the table's constraint instead)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widgets = {
            "travel_document_status": forms.Select(attrs={"class": "form-select"}),
            "travel_document_kind": forms.Select(attrs={"class": "form-select"}),
            "travel_document_issued_on": DATE,
            "destination_accepted_on": DATE,
            "flight_on": DATE,
        }
        self.fields.update(
            forms.fields_for_model(
                ReleasePreparation,
                fields=RELEASE_PREPARATION_FIELDS,
                widgets={name: widgets.get(name, TEXT) for name in RELEASE_PREPARATION_FIELDS},
            )
        )
