"""A service's refusal lands on the form the same way on every page."""

from django import forms

from program.core.errors import ApplicationError
from program.core.form_errors import show_refusal


class _Form(forms.Form):
    starts_on = forms.CharField()
    other_case_number = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def _bound() -> _Form:
    form = _Form({"starts_on": "2026-12-01", "other_case_number": "KF-1", "version": "3"})
    assert form.is_valid()
    return form


def test_the_sentence_goes_to_each_visible_field_named_and_codes_are_never_shown() -> None:
    form = _bound()
    error = ApplicationError(
        "The stay overlaps another; choose a later day.",
        details={"starts_on": ["overlap"], "other": 17},
    )
    show_refusal(form, error, aliases={"other": "other_case_number"})
    assert form.errors == {
        "starts_on": ["The stay overlaps another; choose a later day."],
        "other_case_number": ["The stay overlaps another; choose a later day."],
    }


def test_a_refusal_naming_no_visible_field_goes_above_the_form() -> None:
    form = _bound()
    show_refusal(form, ApplicationError("Changed since you read it.", details={"version": 3}))
    assert form.non_field_errors() == ["Changed since you read it."]
    assert "version" not in form.errors


def test_the_same_refusal_twice_is_shown_once() -> None:
    form = _bound()
    error = ApplicationError("Give a later day.", details={"starts_on": ""})
    show_refusal(form, error)
    show_refusal(form, error)
    assert form.errors == {"starts_on": ["Give a later day."]}


def test_a_page_with_its_own_banner_can_keep_an_unplaced_refusal_off_the_form() -> None:
    form = _bound()
    show_refusal(form, ApplicationError("The unit is closed.", details={}), above=False)
    assert form.errors == {}
