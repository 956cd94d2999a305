"""The design system's form controls (DKFDS), rendered in one place for every page.

`templates/components/field.html` lays out a field (label, hint, error message, control) and
calls these tags for the control itself. They put the DKFDS class for the kind of widget on it
and stamp `data-ds-control`: the browser walk (tests/e2e/test_accessibility.py) fails on any
visible <input>, <select> or <textarea> without that stamp, so a plain browser widget cannot
come back unnoticed. Python rather than a template per widget keeps the many-field filter forms
cheap to render.
"""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString

register = template.Library()

MARK = "data-ds-control"


def css_class(widget: forms.Widget) -> str:
    """The DKFDS class for a widget (each option's class for the multiple-choice ones)."""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "form-checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "form-radio"
    if isinstance(widget, forms.Select):
        return "form-select"
    if isinstance(widget, forms.FileInput):
        return "form-file-input"
    return "form-input"


def _merged_class(widget: forms.Widget, extra: str) -> str:
    wanted = css_class(widget)
    given = str(widget.attrs.get("class", ""))
    classes = [wanted, *(c for c in given.split() if c != wanted), *extra.split()]
    return " ".join(dict.fromkeys(c for c in classes if c))


@register.simple_tag
def ds_control(field: BoundField, extra_class: str = "", **attrs: Any) -> SafeString:
    """The field's own control with the DKFDS class and the design-system stamp."""
    widget = field.field.widget
    if widget.is_hidden:
        return field.as_widget()
    attrs = {**attrs, "class": _merged_class(widget, extra_class), MARK: ""}
    return field.as_widget(attrs=attrs)


@register.simple_tag
def ds_choices(field: BoundField) -> list[BoundWidget]:
    """One control per choice of a checkbox or radio list, each stamped like `ds_control`."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    attrs.pop("required", None)  # a list of boxes is required as a whole, not each box
    attrs.update({"class": _merged_class(widget, ""), MARK: ""})
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
