from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount to the cent with thousands separators and its currency: "EUR 15,000,000.00"."""
    if amount is None:
        return ""
    text = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{currency} {text}".strip()
