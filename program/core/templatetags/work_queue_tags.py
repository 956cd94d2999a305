from typing import Any

from django import template

register = template.Library()


@register.filter
def count_for(counts: Any, key: str) -> int:
    """How many things wait for the user under this navigation entry (0 when none or no counts)."""
    try:
        return int(counts.get(key, 0))
    except AttributeError:
        return 0
