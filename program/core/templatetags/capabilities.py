"""`{{ user|can:"tranche.approve" }}`: whether the user holds a capability, for a template's
buttons and links (program.core.capabilities says which roles hold which)."""

from typing import Any

from django import template

from program.core.capabilities import can as user_can

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    return user_can(user, capability)
