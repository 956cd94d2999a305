"""Forms for the unit page's actions. They parse what was typed; the services decide.

Field names match the services' keyword arguments, so a refusal naming a field (its `details`)
can be shown next to that field.
"""

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from program.cells.models import Outage, Place, Placement
from program.cells.unit_view import place_label
from program.core.forms import DateField
from program.inmates.models import Inmate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_INPUT = {"class": "form-input"}
_SELECT = {"class": "form-select"}


def _date_field(
    label: "StrOrPromise", *, required: bool = True, help_text: "StrOrPromise" = ""
) -> forms.DateField:
    # 03.12.2026 in Danish or ISO; the widget is the browser's date picker.
    return DateField(label=label, required=required, help_text=help_text)


def _reason_field(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.CharField:
    # Not required here: whether a reason is needed is the service's rule, and its message.
    return forms.CharField(
        label=label,
        required=False,
        max_length=300,
        help_text=help_text,
        widget=forms.TextInput(attrs=_INPUT),
    )


class InmateByCaseNumberField(forms.CharField):
    """The inmate, typed as the Prison and Probation Service's case number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Inmate's case number"))
        kwargs.setdefault("widget", forms.TextInput(attrs={**_INPUT, "autocomplete": "off"}))
        super().__init__(max_length=30, **kwargs)

    def clean(self, value: Any) -> Inmate:
        case_number = super().clean(value).strip()
        inmate = Inmate.objects.filter(case_number__iexact=case_number).first()
        if inmate is None:
            raise forms.ValidationError(
                _("No inmate has the case number %(number)s."), params={"number": case_number}
            )
        return inmate


class _ActionForm(forms.Form):
    """The form opens with the cursor in its first field (htmx honours `autofocus` on swap)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.widget.attrs["autofocus"] = True


class AdmitForm(_ActionForm):
    inmate = InmateByCaseNumberField()
    on = _date_field(_("Admitted on"))
    reason = _reason_field(_("Reason"), _("For example the transfer decision."))
    expected_release_on = _date_field(
        _("Expected release"),
        required=False,
        help_text=_("Optional. Leave empty to use the judgment's full-term date."),
    )


class ReserveForm(_ActionForm):
    inmate = InmateByCaseNumberField()
    arrival_on = _date_field(_("Expected arrival"))
    reason = _reason_field(_("Reason"), _("For example the transfer decision."))


class PlaceChoiceField(forms.ModelChoiceField[Place]):
    def label_from_instance(self, obj: Place) -> str:
        notes = [str(obj.cell.get_kind_display()).lower()]
        if obj.cell.medical_observation:
            notes.append(str(_("medical observation")))
        if obj.cell.accessible:
            notes.append(str(_("accessible")))
        return f"{place_label(obj)} ({', '.join(notes)})"


class _OfferedChoices(ModelChoiceIterator[Place]):
    """The choices listed, drawn from a narrower queryset than the one a choice is checked
    against; evaluated only if the form is rendered."""

    def __init__(self, field: "forms.ModelChoiceField[Place]", queryset: QuerySet[Place]) -> None:
        super().__init__(field)
        self.queryset = queryset


class MoveForm(_ActionForm):
    to_place = PlaceChoiceField(
        label=_("Move to place"),
        queryset=Place.objects.none(),
        widget=forms.Select(attrs=_SELECT),
        empty_label=_("Choose a free place"),
    )
    on = _date_field(_("Moved on"))
    reason = _reason_field(_("Reason for the move"))

    def __init__(
        self,
        *args: Any,
        places: QuerySet[Place],
        offered: QuerySet[Place] | None = None,
        **kwargs: Any,
    ) -> None:
        """`places` are those a choice is checked against; `offered` those listed (the free
        ones on the day shown). A place taken since the list was drawn is then refused by the
        service, in words, rather than as an unknown choice."""
        super().__init__(*args, **kwargs)
        field = cast(PlaceChoiceField, self.fields["to_place"])
        field.queryset = places
        if offered is not None:
            field.widget.choices = _OfferedChoices(field, offered)


class ReleaseForm(_ActionForm):
    on = _date_field(_("Leaves on"), help_text=_("The day the inmate leaves the place."))
    end_reason = forms.ChoiceField(
        label=_("Why the stay ends"),
        choices=[
            ("", _("Choose")),
            (Placement.EndReason.DEPORTED, Placement.EndReason.DEPORTED.label),
            (Placement.EndReason.RETURNED, Placement.EndReason.RETURNED.label),
            (Placement.EndReason.RELEASED, Placement.EndReason.RELEASED.label),
        ],
        widget=forms.Select(attrs=_SELECT),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=200, widget=forms.TextInput(attrs=_INPUT)
    )


class CancelReservationForm(_ActionForm):
    reason = _reason_field(_("Why the reservation is cancelled"))


class OnePlaceChoiceField(forms.ModelChoiceField[Place]):
    def label_from_instance(self, obj: Place) -> str:
        return str(_("Only place %(label)s")) % {"label": place_label(obj)}


class OutageStartForm(_ActionForm):
    place = OnePlaceChoiceField(
        label=_("What goes out of use"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("The whole cell"),
        widget=forms.Select(attrs=_SELECT),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose")), *Outage.Reason.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    starts_on = _date_field(_("Out of use from"))
    expected_back_on = _date_field(_("Expected back in use"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-input", "rows": 2}),
    )

    def __init__(self, *args: Any, places: QuerySet[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(OnePlaceChoiceField, self.fields["place"])
        field.queryset = places


class OutageEndForm(_ActionForm):
    on = _date_field(_("Back in use on"))
