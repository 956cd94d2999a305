"""The letters' panels on the case page and the transport page: one include each, so the pages
of the case file need only a line to show them."""

from typing import Any

from django import template
from django.utils import timezone

from program.core.capabilities import can
from transfers.letters import selectors
from transfers.letters.forms import LetterForm
from transfers.models import TransferCase, TransportBatch

register = template.Library()


@register.inclusion_tag("letters/_case_letters.html", takes_context=True)
def case_letters(context: template.Context, case: TransferCase) -> dict[str, Any]:
    request = context["request"]
    kinds = selectors.kinds_available(case)
    can_generate = can(request.user, "letter.generate") and bool(kinds)
    # The case page says whether there are any (has_letters): none costs no query.
    letters = list(selectors.case_letters(case)) if getattr(case, "has_letters", True) else []
    return {
        "case": case,
        "letters": letters,
        "stale": selectors.stale_deadlines(case, letters),
        "plan": selectors.language_plan(case),
        "can_generate": can_generate,
        "form": LetterForm(kinds=kinds, initial={"notify_on": timezone.localdate()})
        if can_generate
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("letters/_batch_letters.html", takes_context=True)
def batch_letters(context: template.Context, batch: TransportBatch) -> dict[str, Any]:
    request = context["request"]
    return {
        "batch": batch,
        "job": selectors.latest_job(batch),
        "can_generate": can(request.user, "letter.generate"),
        "csrf_token": context.get("csrf_token"),
    }
