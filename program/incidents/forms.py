"""The incident forms: report, review, add information, and the list's filter."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.cells.models import Cell, Facility, Unit
from program.core.forms import DateField
from program.incidents import selectors
from program.incidents.models import Incident, IncidentReview
from program.inmates.models import Inmate

TEXTAREA = {"class": "form-input", "rows": 4}


def _staff_label(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class StaffChoiceField(forms.ModelMultipleChoiceField[Any]):
    def label_from_instance(self, obj: Any) -> str:
        return _staff_label(obj)


class InmateChoiceField(forms.ModelMultipleChoiceField[Inmate]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.case_number})"


class IncidentForm(forms.Form):
    """The report. The facility is the reporter's own for host staff (not asked); the people
    and staff offered are those of the facility."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    kind = forms.ChoiceField(label=_("Kind of incident"), choices=Incident.Kind.choices)
    occurred_on = DateField(label=_("Day it happened"))
    occurred_time = forms.TimeField(
        label=_("Time it happened"),
        help_text=_("Hours and minutes, for example 14:30."),
        widget=forms.TimeInput(attrs={"class": "form-input"}, format="%H:%M"),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    cell = forms.ModelChoiceField(label=_("Cell"), queryset=Cell.objects.none(), required=False)
    inmates = InmateChoiceField(
        label=_("Inmates involved"),
        queryset=Inmate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_involved = forms.CharField(
        label=_("Staff involved"),
        help_text=_("Name and role of each member of staff involved, one per line."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    named_staff = StaffChoiceField(
        label=_("Staff to tell in the system"),
        help_text=_("Colleagues with a user account who should be told of this report."),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs=TEXTAREA), max_length=10000
    )
    injuries = forms.CharField(
        label=_("Injuries"),
        help_text=_("Who was hurt and how; write “none” if no one was."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fixed = selectors.facility_scope(user)
        facilities = selectors.facilities_in_scope(fixed)
        self._choice("facility").queryset = facilities
        # One query at most: the facilities read once, for the choice of facility below and the
        # page's question whether the user may report anywhere; host staff's one facility is
        # the posting already read for their scope.
        self._facilities: list[Facility] = (
            [fixed] if isinstance(fixed, Facility) else list(facilities)
        )
        # The select is drawn from that same read (the queryset still validates a choice).
        field = self._choice("facility")
        field.choices = [
            *([("", field.empty_label)] if field.empty_label is not None else []),
            *((facility.pk, field.label_from_instance(facility)) for facility in self._facilities),
        ]
        if isinstance(fixed, Facility):
            # Host staff report at their own facility only: not a choice.
            self.fields["facility"].initial = fixed.pk
            self.fields["facility"].widget = forms.HiddenInput()
        facility = self._facility()
        if facility is not None:
            self._choice("unit").queryset = Unit.objects.filter(facility=facility).order_by("code")
            self._choice("cell").queryset = (
                Cell.objects.filter(unit__facility=facility)
                .select_related("unit")
                .order_by("unit__code", "number")
            )
            self._choice("inmates").queryset = selectors.inmates_at(facility)
            self._choice("named_staff").queryset = selectors.staff_to_name(facility)
        else:
            for name in ("unit", "cell", "inmates", "named_staff"):
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].help_text = ""

    def _choice(self, name: str) -> forms.ModelChoiceField[Any]:
        return cast("forms.ModelChoiceField[Any]", self.fields[name])

    def facility_choices(self) -> Any:
        return self._choice("facility").queryset

    def may_report(self) -> bool:
        """Whether the user may report anywhere (no query: the facilities were read once)."""
        return bool(self._facilities)

    def _facility(self) -> Facility | None:
        chosen: Any = self.data.get("facility") if self.is_bound else None
        chosen = chosen or self.fields["facility"].initial or self.initial.get("facility")
        if not chosen and len(self._facilities) == 1:
            return self._facilities[0]
        try:
            pk = int(chosen)
        except (TypeError, ValueError):
            return None
        return next((facility for facility in self._facilities if facility.pk == pk), None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, moment = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day and moment:
            occurred = timezone.make_aware(datetime.combine(day, moment))
            if occurred > timezone.now():
                self.add_error("occurred_time", _("The time is in the future."))
            cleaned["occurred_at"] = occurred
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "facility": data["facility"],
            "kind": data["kind"],
            "occurred_at": data["occurred_at"],
            "unit": data.get("unit"),
            "cell": data.get("cell"),
            "inmates": list(data.get("inmates") or []),
            "named_staff": list(data.get("named_staff") or []),
            "staff_involved": data.get("staff_involved") or "",
            "description": data["description"],
            "injuries": data.get("injuries") or "",
            "actions_taken": data.get("actions_taken") or "",
        }


class FacilityChoiceForm(forms.Form):
    """The first step for Danish staff: which facility (it decides whom the report can name)."""

    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        kwargs["auto_id"] = "choose_%s"  # beside the report form's own facility field
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["facility"]).queryset = facilities


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs=TEXTAREA), max_length=10000
    )
    follow_up = forms.CharField(
        label=_("Follow-up"),
        help_text=_("What is to be done, by whom, and by when."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
    )
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=IncidentReview.Outcome.choices, widget=forms.RadioSelect
    )
    information_requested = forms.CharField(
        label=_("Information asked for"),
        help_text=_("Only when you ask for more information: what the facility must add."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=5000,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("outcome") == IncidentReview.Outcome.MORE_INFORMATION
            and not (cleaned.get("information_requested") or "").strip()
        ):
            self.add_error("information_requested", _("Say what information you ask for."))
        return cleaned


class AdditionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    text = forms.CharField(
        label=_("Information to add"), widget=forms.Textarea(attrs=TEXTAREA), max_length=10000
    )


class IncidentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *Incident.Kind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any state")), *Incident.State.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Review overdue"), required=False)

    def filters(self) -> selectors.IncidentFilters:
        if not self.is_valid():
            return selectors.IncidentFilters()
        data = self.cleaned_data
        return selectors.IncidentFilters(
            kind=data.get("kind") or "",
            state=data.get("state") or "",
            overdue=bool(data.get("overdue")),
        )
