"""Family contact's forms: they parse; the services decide."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.cells.models import Facility
from program.core.forms import DateField
from program.visits.models import Visit, Visitor
from program.visits.services import OUTCOMES, VisitorInput

VISITOR_SLOTS = 4


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-input", **(attrs or {})}, format="%H:%M")


class VisitRequestForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.order_by("name"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices, widget=forms.RadioSelect)
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=Visit.RequestedBy.choices)
    wished_on = DateField(label=_("Wished-for day"), required=False)
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter language"), max_length=50, required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relation_choices = [("", _("(no visitor)")), *Visitor.Relation.choices]
        age_choices = [("", _("(not a child)")), *Visitor.AgeGroup.choices]
        for n in range(1, VISITOR_SLOTS + 1):
            self.fields[f"visitor_{n}_name"] = forms.CharField(
                label=_("Visitor %(n)d: name") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"visitor_{n}_relation"] = forms.ChoiceField(
                label=_("Visitor %(n)d: relation") % {"n": n},
                choices=relation_choices,
                required=False,
            )
            self.fields[f"visitor_{n}_age_group"] = forms.ChoiceField(
                label=_("Visitor %(n)d: age group (children)") % {"n": n},
                choices=age_choices,
                required=False,
            )

    def visitor_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"visitor_{n}_{part}"] for part in ("name", "relation", "age_group")]
            for n in range(1, VISITOR_SLOTS + 1)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("visitor_")]

    def visitors(self) -> list[VisitorInput]:
        found = []
        for n in range(1, VISITOR_SLOTS + 1):
            name = self.cleaned_data.get(f"visitor_{n}_name") or ""
            relation = self.cleaned_data.get(f"visitor_{n}_relation") or ""
            if not name.strip() and not relation:
                continue
            found.append(
                VisitorInput(
                    name=name,
                    relation=relation,
                    age_group=self.cleaned_data.get(f"visitor_{n}_age_group") or "",
                )
            )
        return found

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "facility": data["facility"],
            "kind": data["kind"],
            "requested_by": data["requested_by"],
            "wished_on": data.get("wished_on"),
            "interpreter_needed": bool(data.get("interpreter_needed")),
            "interpreter_language": data.get("interpreter_language") or "",
            "note": data.get("note") or "",
            "visitors": self.visitors(),
        }


class VisitBookForm(forms.Form):
    day = DateField(label=_("Day"))
    starts = forms.TimeField(label=_("From"), widget=TimeInput)
    ends = forms.TimeField(label=_("To"), widget=TimeInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(day, self.cleaned_data["starts"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["ends"], tzinfo=zone),
        )


class VisitOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(value, Visit.Status(value).label) for value in OUTCOMES],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (when cancelled or refused)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VisitFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Visit.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Visit.Kind.choices]
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)

    def selector_arguments(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
