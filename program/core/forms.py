"""Form fields for dates and amounts as people type them, in Danish or in English.

Dates: the active language's own way (Danish 03.12.2026 or 3.12.26) and always ISO 2026-12-03,
which is what a browser's date picker sends. The widget is that date picker, so its value in the
page is ISO whatever the language (a browser reads nothing else there).

Amounts and rates: "3.750.000,00", "3,750,000.00", "3750000.00", "3750000,00" and "3 750 000,00"
are all the same number, in either language. The rule reads a number without guessing:
- with both a dot and a comma, the last of them marks the decimals and the other one groups
  thousands, in groups of three;
- with one kind of separator written twice or more, it groups thousands ("3.750.000");
- with one separator written once, it marks the decimals ("7,46", "3750000.00"), unless exactly
  three digits follow it: "1.500" is 1500 to a Danish reader and 1.5 to an English one, so it
  is refused with a message that says how to type it either way. Money is not guessed at.
A value shown back in the form is written in the page's language with at least two decimals
("1.500,00"), so it reads back as the same number.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"[+-]?[0-9.,]+")
EXAMPLE = Decimal("3750000.00")


def _grouped(whole: str, separator: str) -> bool:
    """Whether `whole` is digits grouped in threes by `separator` ("3.750.000")."""
    return re.fullmatch(r"\d{1,3}(" + re.escape(separator) + r"\d{3})+", whole) is not None


def _grouped_example(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _plain_example(value: Decimal) -> str:
    """`value` without grouping, with the page language's decimal mark: "3750000,00"."""
    return f"{value:f}".replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def parse_decimal(text: str) -> Decimal:
    """The number typed in `text` (the rule in the module's docstring), or a ValidationError
    that says what was wrong and what to type instead."""
    compact = _SPACES.sub("", text)
    if not _NUMBER.fullmatch(compact) or not any(c.isdigit() for c in compact):
        raise forms.ValidationError(
            _("“%(value)s” is not a number. Type it like %(grouped)s or %(plain)s."),
            code="invalid",
            params={
                "value": text,
                "grouped": _grouped_example(EXAMPLE),
                "plain": _plain_example(EXAMPLE),
            },
        )
    sign = compact[0] if compact[0] in "+-" else ""
    body = compact[len(sign) :]
    dots, commas = body.count("."), body.count(",")
    whole, decimals = body, ""
    if dots and commas:
        mark = "." if body.rfind(".") > body.rfind(",") else ","
        group = "," if mark == "." else "."
        whole, _sep, decimals = body.rpartition(mark)
        if mark in whole or not _grouped(whole, group) or not decimals.isdigit():
            raise _badly_grouped(text)
    elif dots + commas > 1:
        group = "." if dots else ","
        if not _grouped(body, group):
            raise _badly_grouped(text)
        whole = body
    elif dots + commas == 1:
        whole, _sep, decimals = body.partition("." if dots else ",")
        if len(decimals) == 3 and whole:
            raise forms.ValidationError(
                _(
                    "“%(value)s” can be read two ways. Type %(thousands)s if it means "
                    "thousands, or %(fraction)s if the separator marks the decimals."
                ),
                code="ambiguous",
                params={
                    "value": text,
                    "thousands": whole + decimals,
                    "fraction": _plain_example(Decimal(f"{whole}.{decimals}").normalize()),
                },
            )
    digits = whole.replace(".", "").replace(",", "") or "0"
    try:
        return Decimal(f"{sign}{digits}.{decimals}" if decimals else f"{sign}{digits}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit only digits
        raise _badly_grouped(text) from None


def _badly_grouped(text: str) -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "“%(value)s” is not a number as written: group thousands in threes and put the "
            "decimals last, like %(grouped)s, or leave out the grouping, like %(plain)s."
        ),
        code="invalid",
        params={
            "value": text,
            "grouped": _grouped_example(EXAMPLE),
            "plain": _plain_example(EXAMPLE),
        },
    )


class DecimalInput(forms.TextInput):
    """A text box for numbers (the numeric keyboard on a phone), showing its value in the page's
    language with at least two decimals, so that it reads back unambiguously."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "class": "form-input",
                "inputmode": "decimal",
                "autocomplete": "off",
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal) and value.is_finite():
            places = max(2, -int(value.as_tuple().exponent))
            return formats.number_format(
                value, decimal_pos=places, use_l10n=True, force_grouping=True
            )
        shown: str | None = super().format_value(value)
        return shown


class DecimalField(forms.DecimalField):
    """A decimal typed in Danish or English convention (parse_decimal)."""

    widget = DecimalInput

    # django-stubs types DecimalField.to_python after IntegerField's; it returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return parse_decimal(str(value).strip())


class DateInput(forms.DateInput):
    """The browser's date picker; its value is ISO in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "form-input", **(attrs or {})}, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date typed in the page's language (03.12.2026 in Danish) or as ISO (2026-12-03); an
    unreadable one is refused with both forms of today's date as the example."""

    widget = DateInput

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code != "invalid":
                raise
            today = timezone.localdate()
            local = today.strftime(str(formats.get_format("DATE_INPUT_FORMATS")[0]))
            if local == today.isoformat():
                message = _("“%(value)s” is not a date. Type it like %(iso)s.")
            else:
                message = _("“%(value)s” is not a date. Type it like %(local)s or %(iso)s.")
            raise forms.ValidationError(
                message,
                code="invalid",
                params={"value": value, "local": local, "iso": today.isoformat()},
            ) from None
