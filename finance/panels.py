from typing import Any

from django.http import HttpRequest

from finance import selectors
from program.core.policy import allows


def finance_panel(request: HttpRequest, roles: frozenset[str]) -> dict[str, Any] | None:
    if not allows("finance:terms", roles):
        return None
    return {"template": "finance/panels/finance.html", "rows": selectors.terms_overview()}
